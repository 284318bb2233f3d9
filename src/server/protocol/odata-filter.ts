/**
 * The `$filter` subset the Azure Batch list operations accept, compiled into a predicate.
 *
 * Grammar (keywords, function names and the `datetime` prefix are case-insensitive; property names
 * are case-sensitive REST names, as the service documents):
 *
 * ```
 * filter     := orExpr EOF
 * orExpr     := andExpr ("or" andExpr)*
 * andExpr    := unary ("and" unary)*
 * unary      := "not" unary | primary
 * primary    := "(" orExpr ")" | operand [cmpOp operand]      -- a bare operand must be a function call
 * cmpOp      := "eq" | "ne" | "gt" | "ge" | "lt" | "le"
 * operand    := literal | path | function
 * path       := name ("/" name)*                              -- e.g. executionInfo/exitCode
 * function   := ("startswith" | "endswith" | "contains" | "substringof") "(" operand "," operand ")"
 * literal    := 'text' ('' escapes a quote) | integer | decimal | true | false | null
 *             | datetime'2024-01-01T00:00:00Z' | datetimeoffset'…' | 2024-01-01T00:00:00Z (unquoted)
 * ```
 *
 * So precedence is `not` > `and` > `or`, and `not` applies to the whole comparison after it
 * (`not state eq 'active'` means `not (state eq 'active')`).
 *
 * Semantics:
 * - A path walks plain objects; a missing or `null` property is `null`. `x eq null` is true when
 *   `x` is absent; any other comparison with `null` is false, except `ne`, which is the negation of `eq`.
 * - Strings compare case-insensitively (ordinal, upper-cased), for every operator and function. The
 *   Batch docs state that "property names are case sensitive, but property values are case
 *   insensitive"; this also makes ids (case-insensitive in Batch) match in any case.
 * - A `datetime'…'` literal (W3C/ISO 8601 or RFC 1123) compares as a point in time with a string
 *   property holding a timestamp; two plain strings that are both ISO date-times (with a time part)
 *   also compare as times. Fractions beyond milliseconds (Batch uses 7 digits) are kept.
 * - Values of different types (a number against a string, an object against anything) are not
 *   equal and not ordered: `eq`, `gt`, `ge`, `lt`, `le` are false and `ne` is true.
 * - An empty or blank expression matches everything.
 *
 * Any syntax error is a 400 `InvalidQueryParameterValue` naming `$filter`, with a `Reason` that says
 * what is wrong and at which (1-based) character position.
 *
 * The stages live next to this file: `odata-filter-lexer.ts` (tokens), `odata-filter-parser.ts`
 * (syntax tree, `odata-filter-ast.ts`) and `odata-filter-evaluator.ts` (comparison semantics).
 */
import { evaluate } from "./odata-filter-evaluator.js";
import { tokenize } from "./odata-filter-lexer.js";
import { FilterParser } from "./odata-filter-parser.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";

export { invalidQueryParameterValue } from "./invalid-query-parameter.js";
export { MAX_FILTER_DEPTH } from "./odata-filter-parser.js";

/** The longest `$filter` accepted, in characters. */
export const MAX_FILTER_LENGTH = 4096;

export type FilterPredicate = (entity: unknown) => boolean;

export interface CompileFilterOptions {
  /**
   * When given, the only property paths the filter may use (e.g. `["state", "executionInfo/exitCode"]`);
   * any other path is a 400, as the service answers for a property it does not filter on.
   */
  properties?: readonly string[];
}

/** Parses a `$filter` expression into a predicate over REST-shaped entities; throws a 400 BatchError on bad syntax. */
export function compileFilter(expression: string, options: CompileFilterOptions = {}): FilterPredicate {
  if (expression.length > MAX_FILTER_LENGTH) {
    throw invalidQueryParameterValue(
      "$filter",
      `${expression.slice(0, MAX_FILTER_LENGTH)}…`,
      `The filter is ${expression.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed.`,
    );
  }
  if (expression.trim() === "") return () => true;
  const parser = new FilterParser(expression, tokenize(expression), options.properties ? new Set(options.properties) : undefined);
  const tree = parser.parseFilter();
  return (entity) => evaluate(tree, entity);
}
