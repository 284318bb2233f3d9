import { BatchErrors } from "../../core/batch-errors.js";
import type { BatchRequest } from "./batch-request.js";
import type { Parser } from "../protocol/body-schema.js";
import { checkJsonDepth } from "../protocol/json-depth.js";
import { toCurrentNames } from "../protocol/wire-names.js";

/**
 * The request body read once into a core model: JSON, no deeper than the limit, an object, the
 * api-version's older property names (`blobSource`, `maxTasksPerNode`) translated to the current
 * ones, then parsed by `parse` (shape and types; see body-schema.ts). An empty body is an
 * invalid body unless `whenEmpty` gives what it means.
 */
export function jsonBody<T>(request: BatchRequest, parse: Parser<T>, options: { whenEmpty?: () => NoInfer<T> } = {}): T {
  const text = request.body.toString("utf8").trim();
  if (text === "") {
    if (options.whenEmpty) return options.whenEmpty();
    throw BatchErrors.invalidRequestBody("The request body is empty.");
  }
  checkJsonDepth(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw BatchErrors.invalidRequestBody(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw BatchErrors.invalidRequestBody("The request body must be a JSON object.");
  return parse(toCurrentNames(parsed, request.apiVersion), "");
}
