import type { FilterNode, FilterOperand } from "./odata-filter-ast.js";
import { tokenize } from "./odata-filter-lexer.js";
import { FilterParser } from "./odata-filter-parser.js";

function literalString(operand: FilterOperand): string | undefined {
  return operand.kind === "literal" && operand.value.t === "string" ? operand.value.v : undefined;
}

function isPath(operand: FilterOperand, property: string): boolean {
  return operand.kind === "path" && operand.segments.length === 1 && operand.segments[0] === property;
}

function equalityIn(node: FilterNode, property: string): string | undefined {
  if (node.kind === "and") return equalityIn(node.left, property) ?? equalityIn(node.right, property);
  if (node.kind !== "compare" || node.op !== "eq") return undefined;
  if (isPath(node.left, property)) return literalString(node.right);
  if (isPath(node.right, property)) return literalString(node.left);
  return undefined;
}

/**
 * The string `property` must equal for an entity to match `expression` (a valid `$filter`, e.g.
 * `state eq 'running' and executionInfo/exitCode ne 0` gives `running` for `state`), when the
 * filter requires one at its top level; `undefined` otherwise. The value is as written: the
 * filter compares strings case-insensitively. Lets a list be served from an index of `property`,
 * with the whole filter still applied to what the index gives.
 */
export function requiredEquality(expression: string, property: string): string | undefined {
  if (expression.trim() === "") return undefined;
  return equalityIn(new FilterParser(expression, tokenize(expression), undefined).parseFilter(), property);
}
