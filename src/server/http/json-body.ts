import { BatchError } from "../../core/batch-error.js";
import type { BatchRequest } from "./batch-request.js";
import { toCurrentNames } from "../protocol/wire-names.js";

function invalidBody(reason: string): BatchError {
  return new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.", [{ key: "Reason", value: reason }]);
}

/** The request body as a JSON object, with the api-version's field names translated to the current ones. */
export function jsonBody(request: BatchRequest, options: { optional?: boolean } = {}): Record<string, unknown> {
  const text = request.body.toString("utf8").trim();
  if (text === "") {
    if (options.optional) return {};
    throw invalidBody("The request body is empty.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidBody(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalidBody("The request body must be a JSON object.");
  return toCurrentNames(parsed as Record<string, unknown>, request.apiVersion);
}
