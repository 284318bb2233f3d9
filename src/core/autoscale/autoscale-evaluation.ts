import type { Statement } from "./formula-ast.js";
import { AutoScaleErrors } from "./autoscale-errors.js";
import { MAX_FORMULA_LENGTH } from "./formula-ast.js";
import { FormulaEvaluationError, FormulaSyntaxError } from "./formula-errors.js";
import { parseFormula } from "./formula-parser.js";
import { runStatements } from "./formula-evaluator.js";
import { double, formatValue, text, type FormulaValue } from "./formula-values.js";
import { SampledMetric, type MetricSample } from "./sampled-metric.js";
import { SAMPLED_METRICS, TARGET_ALIASES, TARGET_VARIABLES, type FormulaDeallocationOption, type SampledMetricName } from "./service-variables.js";
import { NODE_DEALLOCATION_OPTIONS } from "./service-variables.js";

/** The pool as a formula sees it when it runs. */
export interface AutoScaleInput {
  /** The evaluation's time (milliseconds since the epoch): `time()` and the sample windows count from it. */
  now: number;
  random?: () => number;
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  nodeDeallocationOption?: FormulaDeallocationOption;
  currentDedicatedNodes: number;
  currentLowPriorityNodes: number;
  taskSlotsPerNode: number;
  usableNodeCount: number;
  /** Each sampled metric's history, oldest first. */
  samples: Partial<Record<SampledMetricName, readonly MetricSample[]>>;
}

/** What a run decided: the new targets, when the formula ran to its end (or to `stop()`). */
export interface AutoScaleTargets {
  targetDedicatedNodes: number;
  targetLowPriorityNodes: number;
  nodeDeallocationOption: FormulaDeallocationOption;
}

/** An `AutoScaleRun` in the making: the results string, and the targets or the error. */
export interface AutoScaleEvaluation {
  /** `$TargetDedicatedNodes=…;$TargetLowPriorityNodes=…;$NodeDeallocationOption=…;` then the user variables by name. */
  results: string;
  targets?: AutoScaleTargets;
  error?: FormulaEvaluationError | FormulaSyntaxError;
}

/**
 * Pool_EvaluateAutoScale: a formula over the length limit is refused (400), one that does not
 * parse is answered as a run with its syntax error and the pool's current targets as results.
 */
export function evaluateAutoScaleText(formula: string, input: AutoScaleInput): AutoScaleEvaluation {
  if (formula.length > MAX_FORMULA_LENGTH) throw AutoScaleErrors.tooLong(formula.length);
  let statements: Statement[];
  try {
    statements = parseFormula(formula);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) return { results: evaluateAutoScale([], input).results, error };
    throw error;
  }
  return evaluateAutoScale(statements, input);
}

/**
 * Runs a parsed formula against the pool. A failed run reports the pool's current targets as its
 * results, and the error, as the service does (`AutoScalingFormulaEvaluationError`); a target is
 * truncated to a whole number of nodes and never below zero.
 */
export function evaluateAutoScale(statements: Statement[], input: AutoScaleInput): AutoScaleEvaluation {
  const initial: [string, FormulaValue][] = [
    ["$TargetDedicatedNodes", double(input.targetDedicatedNodes)],
    ["$TargetLowPriorityNodes", double(input.targetLowPriorityNodes)],
    ["$NodeDeallocationOption", text(input.nodeDeallocationOption ?? "requeue")],
  ];
  const variables = new Map<string, FormulaValue>(initial);
  variables.set("$CurrentDedicatedNodes", double(input.currentDedicatedNodes));
  variables.set("$CurrentLowPriorityNodes", double(input.currentLowPriorityNodes));
  variables.set("$TaskSlotsPerNode", double(input.taskSlotsPerNode));
  variables.set("$UsableNodeCount", double(input.usableNodeCount));
  for (const name of SAMPLED_METRICS) variables.set(name, { type: "metric", value: new SampledMetric(name, input.samples[name] ?? [], input.now) });
  const fallback = results(new Map(initial));
  try {
    const { assigned } = runStatements(statements, { variables, now: input.now, random: input.random ?? Math.random });
    const final = new Map<string, FormulaValue>(initial);
    for (const [alias, name] of Object.entries(TARGET_ALIASES)) {
      const value = assigned.get(alias);
      if (value && !assigned.has(name)) final.set(name, value);
    }
    for (const [name, value] of assigned) if (!(name in TARGET_ALIASES)) final.set(name, value);
    const targets = {
      targetDedicatedNodes: nodeCount("$TargetDedicatedNodes", final.get("$TargetDedicatedNodes")!),
      targetLowPriorityNodes: nodeCount("$TargetLowPriorityNodes", final.get("$TargetLowPriorityNodes")!),
      nodeDeallocationOption: deallocationOption(final.get("$NodeDeallocationOption")!),
    };
    return { results: results(final), targets };
  } catch (error) {
    if (error instanceof FormulaEvaluationError) return { results: fallback, error };
    throw error;
  }
}

/** The service's variables first, then the formula's own in name order (the article's sample output). */
function results(values: Map<string, FormulaValue>): string {
  const own = [...values.keys()].filter((name) => !(TARGET_VARIABLES as readonly string[]).includes(name));
  own.sort((a, b) => a.replace(/^\$/, "").localeCompare(b.replace(/^\$/, ""), "en", { sensitivity: "base" }));
  return [...TARGET_VARIABLES, ...own].map((name) => `${name}=${formatValue(values.get(name)!)}`).join(";");
}

function nodeCount(name: string, value: FormulaValue): number {
  const number = value.type === "doubleVec" && value.value.length === 1 ? value.value[0]! : value.type === "double" ? value.value : undefined;
  if (number === undefined) throw new FormulaEvaluationError(`${name} must be a double, not a ${value.type}`);
  if (!Number.isFinite(number)) throw new FormulaEvaluationError(`${name} must be a finite number, not ${number}`);
  return Math.max(0, Math.trunc(number));
}

function deallocationOption(value: FormulaValue): FormulaDeallocationOption {
  const option = value.type === "string" ? value.value.toLowerCase() : undefined;
  if (!option || !(NODE_DEALLOCATION_OPTIONS as readonly string[]).includes(option)) {
    throw new FormulaEvaluationError(`$NodeDeallocationOption must be one of ${NODE_DEALLOCATION_OPTIONS.join(", ")}, not ${formatValue(value)}`);
  }
  return option as FormulaDeallocationOption;
}
