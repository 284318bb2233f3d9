import { BatchError } from "../batch-error.js";
import { MAX_FORMULA_LENGTH } from "./formula-ast.js";
import { FormulaSyntaxError, type FormulaEvaluationError } from "./formula-errors.js";

/**
 * The errors of autoscale formulas. Request errors use the codes of "Batch status and error
 * codes" and the SDKs' BatchErrorCodeStrings; an evaluation error is not a request error but
 * the `error` of the pool's `AutoScaleRun` (code `AutoScalingFormulaEvaluationError`).
 */
export const AutoScaleErrors = {
  syntaxError: (error: FormulaSyntaxError) =>
    new BatchError(400, "AutoScalingFormulaSyntaxError", "The specified auto-scaling formula has a syntax error.", [
      { key: "Line", value: String(error.position.line) },
      { key: "Position", value: String(error.position.column) },
      { key: "Message", value: error.detail },
    ]),
  tooLong: (length: number) =>
    new BatchError(400, "AutoScaleFormulaTooLong", `The specified auto-scaling formula exceeds the length limit of ${MAX_FORMULA_LENGTH} characters.`, [
      { key: "Length", value: String(length) },
    ]),
  /** Pool_Resize or Pool_EvaluateAutoScale/Pool_DisableAutoScale on a pool whose autoscale setting forbids it. */
  notValidOnPool: (poolId: string, reason: string) =>
    new BatchError(409, "OperationNotValidOnPool", `The specified operation is not valid on the pool. (${poolId}) ${reason}`, [
      { key: "Reason", value: reason },
    ]),
  /**
   * The `error` of an AutoScaleRun: a formula that failed while it ran, or (Pool_EvaluateAutoScale,
   * whose answer "contains any error information related to the formula") one that does not parse.
   */
  runError: (error: FormulaEvaluationError | FormulaSyntaxError) => {
    const syntax = error instanceof FormulaSyntaxError;
    return {
      code: syntax ? "AutoScalingFormulaSyntaxError" : "AutoScalingFormulaEvaluationError",
      message: syntax ? "The specified auto-scaling formula has a syntax error." : "An error occurred while evaluating the auto-scaling formula.",
      values: [
        { name: "Message", value: error.detail },
        ...(error.position
          ? [
              { name: "Line", value: String(error.position.line) },
              { name: "Position", value: String(error.position.column) },
            ]
          : []),
      ],
    };
  },
};
