import { BatchError } from "../../core/batch-error.js";

/** The 400 the service answers for a bad query parameter. */
export function invalidQueryParameterValue(name: string, value: string, reason: string): BatchError {
  return new BatchError(400, "InvalidQueryParameterValue", "The value for one of the query parameters specified in the request URI is invalid.", [
    { key: "QueryParameterName", value: name },
    { key: "QueryParameterValue", value },
    { key: "Reason", value: reason },
  ]);
}
