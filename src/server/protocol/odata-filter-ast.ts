/** The syntax tree of a compiled `$filter` expression, and the values it works with. */
import type { Timestamp } from "./odata-filter-timestamp.js";

/** A literal, or a property of an entity, as the filter sees it. */
export type FilterValue =
  { t: "null" } | { t: "string"; v: string } | { t: "number"; v: number } | { t: "boolean"; v: boolean } | { t: "datetime"; v: Timestamp } | { t: "other" };

/** A missing or `null` property, or the `null` literal. */
export const NULL_VALUE: FilterValue = { t: "null" };
/** A value the filter cannot compare (an object, an array, NaN). */
export const OTHER_VALUE: FilterValue = { t: "other" };

export type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

export type FunctionName = "startswith" | "endswith" | "contains" | "substringof";
export const FUNCTIONS: ReadonlySet<string> = new Set(["startswith", "endswith", "contains", "substringof"]);

export type FilterOperand =
  | { kind: "literal"; value: FilterValue }
  | { kind: "path"; segments: readonly string[] }
  | { kind: "call"; name: FunctionName; args: readonly [FilterOperand, FilterOperand] };

export type FunctionCall = Extract<FilterOperand, { kind: "call" }>;

export type FilterNode =
  | { kind: "or" | "and"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; op: ComparisonOperator; left: FilterOperand; right: FilterOperand }
  | { kind: "test"; call: FunctionCall };
