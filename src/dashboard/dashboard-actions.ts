import type { IncomingMessage } from "node:http";
import type { BatchService } from "../core/backend.js";
import { BatchError } from "../core/batch-error.js";

/** A resize body is a few numbers. */
const ACTION_BODY_BYTES = 1024;

function badRequest(message: string): BatchError {
  return new BatchError(400, "InvalidRequestBody", message);
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > ACTION_BODY_BYTES) throw badRequest("The request body is too large.");
  }
  if (!text) return {};
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw badRequest("The request body is not a JSON object.");
}

function nodeCount(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw badRequest(`${name} must be a whole number of nodes.`);
  return value;
}

/**
 * The few changes the dashboard may make when its actions are turned on, each the very
 * BatchService call the REST API's operation makes (Task_Terminate, Job_Terminate, Pool_Resize),
 * so they behave and fail (409 PoolNotSteady, 404 JobNotFound, ...) exactly as from a client.
 * A page can only send them as JSON from the dashboard's own origin: a form or an image on
 * another site cannot (the browser asks before sending JSON across origins, and nothing answers).
 */
export async function runAction(service: BatchService, req: IncomingMessage, segments: string[]): Promise<boolean> {
  const [first, id, second, taskId, verb, ...rest] = segments;
  if (!String(req.headers["content-type"]).startsWith("application/json")) throw new BatchError(415, "UnsupportedMediaType", "Actions take a JSON body.");
  const body = await jsonBody(req);
  if (rest.length > 0 || !id) return false;
  if (first === "jobs" && second === "terminate" && taskId === undefined) {
    await service.job.terminate(id, typeof body.terminateReason === "string" ? body.terminateReason : undefined);
    return true;
  }
  if (first === "jobs" && second === "tasks" && taskId && verb === "terminate") {
    await service.task.terminate(id, taskId);
    return true;
  }
  if (first === "pools" && second === "resize" && taskId === undefined) {
    const targetDedicatedNodes = nodeCount(body, "targetDedicatedNodes");
    const targetLowPriorityNodes = nodeCount(body, "targetLowPriorityNodes");
    if (targetDedicatedNodes === undefined && targetLowPriorityNodes === undefined)
      throw badRequest("A resize names targetDedicatedNodes or targetLowPriorityNodes.");
    await service.pool.resize(id, { targetDedicatedNodes, targetLowPriorityNodes });
    return true;
  }
  return false;
}
