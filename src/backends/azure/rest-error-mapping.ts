import type { AccessConditions } from "../../core/access-conditions.js";
import { BatchError, type BatchErrorDetail } from "../../core/batch-error.js";
import { UNREACHABLE_CODES } from "../../core/unreachable.js";
import { BatchErrors } from "../../core/batch-errors.js";
import { redactSecrets } from "../../storage/map-storage-error.js";
import { notModifiedFrom } from "./not-modified-answer.js";

/** Codes ms-rest-js sets on errors it raises itself (not the service's). */
const CLIENT_CODES = new Set(["REQUEST_SEND_ERROR", "REQUEST_ABORTED_ERROR", "PARSE_ERROR"]);

/** The code of an answer that carries no error body (HEAD, file downloads). */
const STATUS_CODES: Record<number, string> = {
  400: "InvalidInput",
  401: "AuthenticationFailed",
  403: "AuthenticationFailed",
  404: "ResourceNotFound",
  409: "Conflict",
  412: "ConditionNotMet",
  413: "RequestBodyTooLarge",
  500: "InternalError",
  503: "ServerBusy",
};

/** The flat Batch error body: `{code, message: {lang, value}, values: [{key, value}]}`. */
interface ServiceErrorBody {
  code?: unknown;
  message?: unknown;
  values?: unknown;
}

interface RestErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  statusCode?: unknown;
  body?: unknown;
  response?: { body?: unknown; headers?: { get?(name: string): string | undefined } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The service's error body: the SDK's deserialized `body`, else the raw response text parsed. */
function serviceBody(error: RestErrorLike): ServiceErrorBody | undefined {
  if (isObject(error.body) && ("code" in error.body || "message" in error.body)) return error.body;
  const text = error.response?.body;
  if (typeof text !== "string" || !text.trim().startsWith("{")) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) return undefined;
    return isObject(parsed["odata.error"]) ? parsed["odata.error"] : parsed;
  } catch {
    return undefined;
  }
}

/** The message without the service's `RequestId:`/`Time:` trailer, secrets redacted. */
function cleanMessage(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => !/^\s*(RequestId|Time):/.test(line));
  return redactSecrets(lines.join("\n").trim());
}

function messageOf(body: ServiceErrorBody | undefined): string | undefined {
  const message = body?.message;
  const text = isObject(message) ? message.value : message;
  return typeof text === "string" && text.trim() ? cleanMessage(text) : undefined;
}

function valuesOf(body: ServiceErrorBody | undefined): BatchErrorDetail[] {
  if (!Array.isArray(body?.values)) return [];
  return body.values
    .filter((item): item is Record<string, unknown> => isObject(item) && typeof item.key === "string")
    .map((item) => ({ key: item.key as string, value: redactSecrets(detailText(item.value)) }));
}

/** A detail's value as text: the service sends strings; a structured value is kept as JSON rather than `[object Object]`. */
function detailText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === undefined || value === null) return "";
  return JSON.stringify(value) ?? "";
}

function serviceCode(error: RestErrorLike, body: ServiceErrorBody | undefined): string | undefined {
  if (typeof body?.code === "string" && body.code) return body.code;
  if (typeof error.code === "string" && error.code && !CLIENT_CODES.has(error.code)) return error.code;
  return error.response?.headers?.get?.("x-ms-error-code") || undefined;
}

/** The first socket error code in an error, its `cause`, `innerError` (ms-rest-js retries) or `errors` (AggregateError). */
function unreachableCode(error: unknown, depth = 0): string | undefined {
  if (!isObject(error) || depth > 5) return undefined;
  for (const candidate of [error.code, error.errno]) {
    if (typeof candidate === "string" && UNREACHABLE_CODES.has(candidate)) return candidate;
  }
  const errors: unknown[] = Array.isArray(error.errors) ? error.errors : [];
  const nested = [error.cause, error.innerError, ...errors];
  for (const inner of nested) {
    const code = unreachableCode(inner, depth + 1);
    if (code) return code;
  }
  return undefined;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  return redactSecrets(line.length > 300 ? `${line.slice(0, 300)}...` : line);
}

/**
 * What the SDK's serializer throws before sending, for a request that does not fit the API
 * (`pool.id cannot be null or undefined.`, `foo is not a valid value for task.userIdentity...`).
 */
function requestShapeError(message: string): BatchError | undefined {
  const missing = /^(\S+) cannot be (?:null or )?undefined\.$/.exec(message);
  if (missing) return BatchErrors.missingProperty(propertyPath(missing[1] as string));
  const invalid = /^"?([\w.[\]]+)"? (?:with value .* (?:must be|should satisfy)|must be)|is not a valid value for ([\w.[\]]+)\./.exec(message);
  if (!invalid) return undefined;
  const property = propertyPath((invalid[1] ?? invalid[2]) as string);
  return new BatchError(400, "InvalidPropertyValue", `The value provided for one of the properties in the request body is invalid. ${redactSecrets(message)}`, [
    { key: "PropertyName", value: property },
    { key: "Reason", value: redactSecrets(message) },
  ]);
}

/** `pool.startTask.commandLine` → `startTask.commandLine` (the SDK prefixes the parameter's name). */
function propertyPath(objectName: string): string {
  const dot = objectName.indexOf(".");
  return dot > 0 ? objectName.slice(dot + 1) : objectName;
}

/**
 * Maps a failure of an `@azure/batch` call into a {@link BatchError}: the service's answer keeps
 * its code, status and values (`PoolNotFound`, 404, ...); an unreachable service becomes 503
 * `ServerBusy`; a request the SDK refuses to serialize becomes 400. `what` (e.g. `Getting pool 'p'`)
 * explains failures that carry no message of their own. Never carries a key or a SAS.
 */
export function toBatchError(error: unknown, what = "The Batch request"): BatchError {
  if (error instanceof BatchError) return error;
  const restError: RestErrorLike = isObject(error) ? error : { message: String(error) };
  const rawMessage = typeof restError.message === "string" ? restError.message : "";

  const status = typeof restError.statusCode === "number" && restError.statusCode >= 100 ? restError.statusCode : undefined;
  if (status !== undefined) {
    const body = serviceBody(restError);
    const code = serviceCode(restError, body) ?? STATUS_CODES[status] ?? (status >= 500 ? "InternalError" : "InvalidInput");
    const message = messageOf(body) ?? `${what} failed: the Batch service answered ${status} (${code}) without an error body.`;
    return new BatchError(status, code, message, valuesOf(body));
  }

  const unreachable = unreachableCode(error);
  if (unreachable || restError.code === "REQUEST_SEND_ERROR") {
    return BatchErrors.backendUnavailable("The Batch service", `${what}: ${firstLine(rawMessage) || unreachable}`);
  }
  if (restError.code === "REQUEST_ABORTED_ERROR" || restError.name === "AbortError") {
    return BatchErrors.operationTimedOut(`${what}: the request was aborted`);
  }
  return requestShapeError(rawMessage) ?? BatchErrors.serverError(`${what} failed: ${firstLine(rawMessage) || "unknown error"}`);
}

/**
 * Runs one call of the SDK; whatever it throws comes out as a {@link BatchError}, but for the
 * answer 304 to a conditional read (`conditions`), which comes out as the core `NotModified`.
 */
export async function callService<T>(what: string, call: () => Promise<T>, conditions?: AccessConditions): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw notModifiedFrom(error, conditions) ?? toBatchError(error, what);
  }
}
