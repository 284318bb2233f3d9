/**
 * What a compiled `$filter` means for an entity: property lookup, and the comparison rules
 * (strings case-insensitive, date-times as points in time, `null` equal only to `null`, values
 * of different types neither equal nor ordered).
 */
import {
  NULL_VALUE,
  OTHER_VALUE,
  type ComparisonOperator,
  type FilterNode,
  type FilterOperand,
  type FilterValue,
  type FunctionName,
} from "./odata-filter-ast.js";
import { compareTimestamps, parseIsoTimestamp, parseTimestamp, type Timestamp } from "./odata-filter-timestamp.js";

/** True when the entity matches the filter tree. */
export function evaluate(node: FilterNode, entity: unknown): boolean {
  switch (node.kind) {
    case "or":
      return evaluate(node.left, entity) || evaluate(node.right, entity);
    case "and":
      return evaluate(node.left, entity) && evaluate(node.right, entity);
    case "not":
      return !evaluate(node.operand, entity);
    case "compare":
      return compare(node.op, valueOf(node.left, entity), valueOf(node.right, entity));
    case "test": {
      const result = valueOf(node.call, entity);
      return result.t === "boolean" && result.v;
    }
  }
}

function valueOf(operand: FilterOperand, entity: unknown): FilterValue {
  switch (operand.kind) {
    case "literal":
      return operand.value;
    case "path":
      return resolvePath(entity, operand.segments);
    case "call":
      return { t: "boolean", v: callFunction(operand.name, valueOf(operand.args[0], entity), valueOf(operand.args[1], entity)) };
  }
}

/** Walks plain objects; a missing or `null` property is `null`. */
function resolvePath(entity: unknown, segments: readonly string[]): FilterValue {
  let current: unknown = entity;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return NULL_VALUE;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return NULL_VALUE;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return NULL_VALUE;
  if (typeof current === "string") return { t: "string", v: current };
  if (typeof current === "number") return Number.isNaN(current) ? OTHER_VALUE : { t: "number", v: current };
  if (typeof current === "boolean") return { t: "boolean", v: current };
  if (current instanceof Date) return { t: "datetime", v: { ms: current.getTime(), ns: 0 } };
  return OTHER_VALUE;
}

function compare(op: ComparisonOperator, a: FilterValue, b: FilterValue): boolean {
  if (op === "eq" || op === "ne") {
    const equal = a.t === "null" || b.t === "null" ? a.t === b.t : order(a, b) === 0;
    return op === "eq" ? equal : !equal;
  }
  if (a.t === "null" || b.t === "null") return false;
  const c = order(a, b);
  if (c === undefined) return false;
  switch (op) {
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
  }
}

/** -1, 0 or 1 when the two (non-null) values are comparable, otherwise undefined. */
function order(a: FilterValue, b: FilterValue): number | undefined {
  if (a.t === "number" && b.t === "number") return Math.sign(a.v - b.v);
  if (a.t === "boolean" && b.t === "boolean") return Number(a.v) - Number(b.v);
  if (a.t === "datetime" || b.t === "datetime") {
    const x = asTimestamp(a);
    const y = asTimestamp(b);
    return x && y ? compareTimestamps(x, y) : undefined;
  }
  if (a.t === "string" && b.t === "string") {
    // Two ISO date-times (with a time part) compare as times, other strings case-insensitively.
    const x = parseIsoTimestamp(a.v, true);
    const y = x && parseIsoTimestamp(b.v, true);
    if (x && y) return compareTimestamps(x, y);
    return compareStringsIgnoringCase(a.v, b.v);
  }
  return undefined;
}

function asTimestamp(value: FilterValue): Timestamp | undefined {
  if (value.t === "datetime") return value.v;
  if (value.t === "string") return parseTimestamp(value.v);
  return undefined;
}

/** Ordinal comparison of the upper-cased strings. */
function compareStringsIgnoringCase(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The string functions, case-insensitive like every string comparison; false unless both arguments are strings. */
function callFunction(name: FunctionName, first: FilterValue, second: FilterValue): boolean {
  if (first.t !== "string" || second.t !== "string") return false;
  const a = first.v.toUpperCase();
  const b = second.v.toUpperCase();
  switch (name) {
    case "startswith":
      return a.startsWith(b);
    case "endswith":
      return a.endsWith(b);
    case "contains":
      return a.includes(b);
    case "substringof": // OData v2 order: substringof('needle', haystack)
      return b.includes(a);
  }
}
