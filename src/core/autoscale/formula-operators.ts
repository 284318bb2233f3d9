import { FormulaEvaluationError } from "./formula-errors.js";
import { describe, double, doubleVec, timeinterval, timestamp, type FormulaValue } from "./formula-values.js";

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
};

const COMPARISON: Record<string, (a: number | string, b: number | string) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
};

/** A one-element doubleVec (what `GetSample(1)` returns) takes part in double operations as its element. */
function scalar(value: FormulaValue): FormulaValue {
  return value.type === "doubleVec" && value.value.length === 1 ? double(value.value[0]!) : value;
}

/**
 * The binary operations of the documented "Operations" table: arithmetic on doubles and
 * doubleVecs, time arithmetic on timestamps and timeintervals, comparisons of doubles, strings,
 * timestamps and timeintervals, and the logical `&&`/`||` of doubles (all giving 1 or 0).
 */
export function applyBinary(operator: string, left: FormulaValue, right: FormulaValue): FormulaValue {
  const arithmetic = ARITHMETIC[operator];
  if (arithmetic) {
    const result = arithmeticOf(operator, arithmetic, left, right) ?? arithmeticOf(operator, arithmetic, scalar(left), scalar(right));
    if (result) return result;
  }
  const comparison = COMPARISON[operator];
  if (comparison) {
    const [a, b] = [scalar(left), scalar(right)];
    if (a.type === b.type && a.type !== "doubleVec" && a.type !== "metric") return double(comparison(a.value, b.value as number | string) ? 1 : 0);
  }
  if (operator === "&&" || operator === "||") {
    const [a, b] = [scalar(left), scalar(right)];
    if (a.type === "double" && b.type === "double") {
      const value = operator === "&&" ? a.value !== 0 && b.value !== 0 : a.value !== 0 || b.value !== 0;
      return double(value ? 1 : 0);
    }
  }
  throw new FormulaEvaluationError(`The operator '${operator}' does not apply to ${describe(left)} and ${describe(right)}`);
}

function arithmeticOf(operator: string, f: (a: number, b: number) => number, left: FormulaValue, right: FormulaValue): FormulaValue | undefined {
  const { type: l } = left;
  const { type: r } = right;
  if (l === "double" && r === "double") return double(f(left.value, right.value));
  if (l === "doubleVec" && r === "double") return doubleVec(left.value.map((a) => f(a, right.value)));
  if (l === "double" && r === "doubleVec" && operator !== "/" && operator !== "-") return doubleVec(right.value.map((b) => f(left.value, b)));
  if (l === "doubleVec" && r === "doubleVec") {
    const [a, b] = [left.value, right.value];
    if (a.length !== b.length)
      throw new FormulaEvaluationError(`The operator '${operator}' needs doubleVecs of the same length, not ${a.length} and ${b.length}`);
    return doubleVec(a.map((x, i) => f(x, b[i]!)));
  }
  if (operator === "*" && l === "double" && r === "timeinterval") return timeinterval(f(left.value, right.value));
  if ((operator === "*" || operator === "/") && l === "timeinterval" && r === "double") return timeinterval(f(left.value, right.value));
  if ((operator === "+" || operator === "-") && l === "timeinterval" && r === "timeinterval") return timeinterval(f(left.value, right.value));
  if (operator === "+" && ((l === "timestamp" && r === "timeinterval") || (l === "timeinterval" && r === "timestamp"))) {
    return timestamp(left.value + right.value);
  }
  if (operator === "-" && l === "timestamp" && r === "timeinterval") return timestamp(left.value - right.value);
  if (operator === "-" && l === "timestamp" && r === "timestamp") return timeinterval(left.value - right.value);
  return undefined;
}

/** `-double`, `-doubleVec`, `-timeinterval`, `!double`. */
export function applyUnary(operator: "-" | "!", operand: FormulaValue): FormulaValue {
  const value = operator === "!" ? scalar(operand) : operand;
  if (operator === "-" && value.type === "double") return double(-value.value);
  if (operator === "-" && value.type === "doubleVec") return doubleVec(value.value.map((x) => -x));
  if (operator === "-" && value.type === "timeinterval") return timeinterval(-value.value);
  if (operator === "!" && value.type === "double") return double(value.value === 0 ? 1 : 0);
  throw new FormulaEvaluationError(`The operator '${operator}' does not apply to ${describe(operand)}`);
}
