import { FormulaEvaluationError } from "./formula-errors.js";
import { asDouble, describe, double, doubleVec, flattenList, timestamp, type FormulaValue } from "./formula-values.js";

/** What the functions read from outside the formula: the evaluation's time and a random source. */
export interface FunctionContext {
  now: number;
  random(): number;
}

/** Thrown by `stop()`: the evaluation ends there and keeps what it has computed. */
export class StopEvaluation extends Error {
  override readonly name = "StopEvaluation";
}

type FormulaFunction = (args: FormulaValue[], context: FunctionContext) => FormulaValue;

/** A doubleVecList function that reduces the flattened list to one double. */
function reducing(name: string, reduce: (values: number[]) => number): FormulaFunction {
  return (args) => {
    const values = flattenList(args, `${name}()`);
    if (values.length === 0) throw new FormulaEvaluationError(`${name}() needs at least one value`);
    return double(reduce(values));
  };
}

/** `f(double)` gives a double; `f(doubleVecList)` with a vector gives the component-wise doubleVec. */
function componentWise(name: string, f: (value: number) => number): FormulaFunction {
  return (args) => {
    const only = args.length === 1 ? args[0]! : undefined;
    if (only?.type === "double") return double(f(only.value));
    const values = flattenList(args, `${name}()`);
    if (values.length === 0) throw new FormulaEvaluationError(`${name}() needs at least one value`);
    return doubleVec(values.map(f));
  };
}

function exactly(name: string, args: FormulaValue[], count: number): void {
  if (args.length !== count) throw new FormulaEvaluationError(`${name}() takes ${count} argument${count === 1 ? "" : "s"}, not ${args.length}`);
}

function vectorOf(name: string, value: FormulaValue): number[] {
  if (value.type === "doubleVec") return value.value;
  if (value.type === "double") return [value.value];
  throw new FormulaEvaluationError(`${name}() expects a doubleVec, not ${describe(value)}`);
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const avg = (values: number[]) => sum(values) / values.length;

/** The predefined functions of "Create a formula to automatically scale compute nodes", by name. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, FormulaFunction>> = {
  avg: reducing("avg", avg),
  len: (args) => double(flattenList(args, "len()").length),
  lg: componentWise("lg", Math.log2),
  ln: componentWise("ln", Math.log),
  log: componentWise("log", Math.log10),
  max: reducing("max", (values) => Math.max(...values)),
  min: reducing("min", (values) => Math.min(...values)),
  norm: reducing("norm", (values) => Math.sqrt(sum(values.map((value) => value * value)))),
  percentile: (args) => {
    exactly("percentile", args, 2);
    const sorted = [...vectorOf("percentile", args[0]!)].sort((a, b) => a - b);
    const p = asDouble(args[1]!, "percentile()");
    if (sorted.length === 0) throw new FormulaEvaluationError("percentile() needs at least one value");
    if (p < 0 || p > 100) throw new FormulaEvaluationError(`percentile(): the percentile must be between 0 and 100, not ${p}`);
    return double(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
  },
  rand: (args, context) => {
    exactly("rand", args, 0);
    return double(context.random());
  },
  range: reducing("range", (values) => Math.max(...values) - Math.min(...values)),
  std: reducing("std", (values) => {
    if (values.length < 2) return 0;
    const mean = avg(values);
    return Math.sqrt(sum(values.map((value) => (value - mean) ** 2)) / (values.length - 1));
  }),
  stop: (args) => {
    exactly("stop", args, 0);
    throw new StopEvaluation();
  },
  sum: (args) => double(sum(flattenList(args, "sum()"))),
  time: (args, context) => {
    if (args.length === 0) return timestamp(context.now);
    exactly("time", args, 1);
    const value = args[0]!;
    if (value.type !== "string") throw new FormulaEvaluationError(`time() expects a string (W3C-DTF or RFC 1123), not ${describe(value)}`);
    if (value.value === "") return timestamp(context.now);
    const parsed = Date.parse(value.value);
    if (Number.isNaN(parsed)) throw new FormulaEvaluationError(`time(): "${value.value}" is not a W3C-DTF or RFC 1123 date and time`);
    return timestamp(parsed);
  },
  val: (args) => {
    exactly("val", args, 2);
    const vector = vectorOf("val", args[0]!);
    const index = asDouble(args[1]!, "val()");
    if (!Number.isInteger(index) || index < 0 || index >= vector.length) {
      throw new FormulaEvaluationError(`val(): index ${index} is outside the vector of ${vector.length} elements`);
    }
    return double(vector[index]!);
  },
  ceil: componentWise("ceil", Math.ceil),
  floor: componentWise("floor", Math.floor),
  round: componentWise("round", Math.round),
};
