import { BatchError } from "../../core/batch-error.js";

/**
 * api-versions of the Batch data plane, e.g. `2017-09-01.6.0`, `2022-10-01.16.0`, `2025-06-01`:
 * a date, then at most three digits each for the major and minor version (the largest is 20).
 */
const API_VERSION = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:\.\d{1,3}\.\d{1,3})?$/;
/** How much of a bad value an error echoes back. */
const MAX_ECHOED = 64;

/** The oldest api-version Malachite speaks: the one the original tutorial's SDK used. */
export const OLDEST_API_VERSION = "2017-09-01.6.0";
export const NEWEST_API_VERSION = "2025-06-01";

/** Compares api-versions by their date (the `.N.0` suffix follows the date). */
export function apiVersionBefore(version: string, other: string): boolean {
  return version.slice(0, 10) < other.slice(0, 10);
}

/**
 * The service's answers, as seen on the wire: no api-version is 400 `MissingRequiredQueryParameter`
 * (reference §2.1); one it does not speak (even a well-formed but unreleased date) is 400
 * `InvalidQueryParameterValue`, "Value for one of the query parameters specified in the request URI
 * is invalid" (Azure/azure-sdk-for-python#19224, an SDK sending 2021-01-01). The bad value is echoed
 * cut to 64 characters.
 */
function invalid(value: string | undefined, reason: string): BatchError {
  if (value === undefined) {
    return new BatchError(400, "MissingRequiredQueryParameter", "A query parameter that's mandatory for this request is not specified.", [
      { key: "QueryParameterName", value: "api-version" },
    ]);
  }
  return new BatchError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.", [
    { key: "QueryParameterName", value: "api-version" },
    { key: "QueryParameterValue", value: value.length > MAX_ECHOED ? `${value.slice(0, MAX_ECHOED)}...` : value },
    { key: "Reason", value: reason },
  ]);
}

/** Checks the request's api-version (the first one, if a client repeats it on a nextLink). */
export function parseApiVersion(searchParams: URLSearchParams): string {
  const value = searchParams.get("api-version") ?? undefined;
  if (value === undefined || value === "") throw invalid(undefined, "");
  if (!API_VERSION.test(value)) throw invalid(value, "The api-version is not of the form yyyy-mm-dd[.major.minor].");
  if (apiVersionBefore(value, OLDEST_API_VERSION) || apiVersionBefore(NEWEST_API_VERSION, value)) {
    throw invalid(value, `Supported api-versions range from ${OLDEST_API_VERSION} to ${NEWEST_API_VERSION}.`);
  }
  return value;
}
