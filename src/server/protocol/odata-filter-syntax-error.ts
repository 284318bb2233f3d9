import type { BatchError } from "../../core/batch-error.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";

/** A `$filter` syntax error found by the lexer or the parser, before it becomes a 400. */
export class FilterSyntaxError extends Error {
  constructor(
    /** 0-based character position of the error in the expression. */
    readonly position: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The 400 `InvalidQueryParameterValue` for a syntax error in the `$filter` expression. */
export function invalidFilter(expression: string, error: FilterSyntaxError): BatchError {
  return invalidQueryParameterValue("$filter", expression, `${error.detail}.`);
}
