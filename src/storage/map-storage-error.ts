import { BatchError } from "../core/batch-error.js";
import { UNREACHABLE_CODES } from "../core/unreachable.js";
import { BatchErrors } from "../core/batch-errors.js";

const STATUS_CODES: Record<number, string> = {
  400: "InvalidInput",
  401: "AuthenticationFailed",
  403: "AuthorizationFailure",
  404: "ResourceNotFound",
  409: "Conflict",
  412: "ConditionNotMet",
  413: "RequestBodyTooLarge",
  416: "InvalidRange",
  500: "InternalError",
  503: "ServerBusy",
};

/** Messages for answers without a body (HEAD and ranged GET responses carry only `x-ms-error-code`). */
const KNOWN_MESSAGES: Record<string, string> = {
  BlobNotFound: "The specified blob does not exist.",
  ContainerNotFound: "The specified container does not exist.",
  ContainerAlreadyExists: "The specified container already exists.",
  BlobAlreadyExists: "The specified blob already exists.",
  ContainerBeingDeleted: "The specified container is being deleted.",
  AuthorizationFailure: "This request is not authorized to perform this operation.",
  AuthorizationPermissionMismatch: "This request is not authorized to perform this operation using this permission.",
  AuthenticationFailed: "Server failed to authenticate the request.",
  ResourceNotFound: "The specified resource does not exist.",
};

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  response?: { headers?: { get?(name: string): string | undefined } };
  cause?: unknown;
}

/**
 * Removes secrets from a message: SAS signatures, whole query strings of URLs, account keys and
 * `Authorization` values. What stays is enough to tell what failed.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?"'<>]+)\?[^\s"'<>]*/gi, "$1?<redacted>")
    .replace(/([?&;]?\b(?:sig|se|st|sv|sp|spr|skoid|sktid|skt|ske|sks|skv)=)[^&\s"'<>;]+/gi, "$1<redacted>")
    .replace(/(AccountKey=)[^;\s"']+/gi, "$1<redacted>")
    .replace(/(SharedKey(?:Lite)?\s+[^:\s]+:)\S+/gi, "$1<redacted>")
    .replace(/(Authorization:\s*)\S.*$/gim, "$1<redacted>");
}

/** The first line of a storage message: drops the `RequestId:`/`Time:` trailer. */
function firstLine(message: string): string {
  const line = message.split(/\r?\n/)[0]?.trim() ?? "";
  return line || message.trim();
}

function errorCodeOf(error: RestErrorLike): string | undefined {
  const details = error.details as { errorCode?: unknown; code?: unknown } | undefined;
  if (details && typeof details.errorCode === "string" && details.errorCode) return details.errorCode;
  const header = error.response?.headers?.get?.("x-ms-error-code");
  if (header) return header;
  if (details && typeof details.code === "string" && details.code) return details.code;
  if (typeof error.code === "string" && error.code && !/^[A-Z_]+$/.test(error.code)) return error.code;
  return undefined;
}

function networkCodeOf(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const candidate = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof candidate.code === "string" && UNREACHABLE_CODES.has(candidate.code)) return candidate.code;
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const code = networkCodeOf(inner, depth + 1);
      if (code) return code;
    }
  }
  return networkCodeOf(candidate.cause, depth + 1);
}

/**
 * Maps a failure of blob storage (an `@azure/storage-blob` `RestError`, a network error, ...)
 * into a {@link BatchError}. HTTP failures keep the storage error code (`ContainerNotFound`,
 * `BlobNotFound`, `AuthorizationFailure`, ...) and status; an unreachable service becomes 503
 * `ServerBusy`. `context` (e.g. `download of blob 'c/b'`) is prefixed to the message; messages
 * never carry a SAS or a key.
 */
export function mapStorageError(error: unknown, context?: string): BatchError {
  if (error instanceof BatchError) return error;
  const prefix = context ? `${context}: ` : "";
  const restError = (error && typeof error === "object" ? error : { message: String(error) }) as RestErrorLike;
  const message = redactSecrets(firstLine(String(restError.message ?? "")));

  const status = typeof restError.statusCode === "number" && restError.statusCode > 0 ? restError.statusCode : undefined;
  if (status !== undefined) {
    const code = errorCodeOf(restError) ?? STATUS_CODES[status] ?? (status >= 500 ? "InternalError" : "InvalidInput");
    return new BatchError(status, code, `${prefix}${message || KNOWN_MESSAGES[code] || code}`);
  }

  const networkCode = networkCodeOf(error);
  if (networkCode || restError.code === "REQUEST_SEND_ERROR") {
    return BatchErrors.backendUnavailable("Blob storage", `${prefix}${message || networkCode}`);
  }
  if (restError.name === "AbortError") {
    return BatchErrors.operationTimedOut(`${prefix}${message || "the storage request was aborted"}`);
  }
  return BatchErrors.serverError(`${prefix}${message || "blob storage request failed"}`);
}
