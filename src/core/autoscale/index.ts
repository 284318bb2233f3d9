export { compileFormula } from "./autoscale-formula.js";
export { evaluateAutoScale, evaluateAutoScaleText, type AutoScaleEvaluation, type AutoScaleInput, type AutoScaleTargets } from "./autoscale-evaluation.js";
export { AutoScaleErrors } from "./autoscale-errors.js";
export { FormulaEvaluationError, FormulaSyntaxError } from "./formula-errors.js";
export { parseFormula } from "./formula-parser.js";
export { SAMPLE_PERIOD_MS, type MetricSample } from "./sampled-metric.js";
export { SAMPLED_METRICS, type FormulaDeallocationOption, type SampledMetricName } from "./service-variables.js";
export { DEFAULT_EVALUATION_INTERVAL, evaluationIntervalMs, validatePoolAddAutoScale } from "./autoscale-settings.js";
export type { Statement } from "./formula-ast.js";
