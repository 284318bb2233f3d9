/** Where a formula went wrong: 1-based line and column of the offending text. */
export interface FormulaPosition {
  line: number;
  column: number;
}

/** The formula cannot be parsed (the service answers `AutoScalingFormulaSyntaxError`). */
export class FormulaSyntaxError extends Error {
  override readonly name = "FormulaSyntaxError";
  constructor(
    readonly detail: string,
    readonly position: FormulaPosition,
  ) {
    super(`${detail} (line ${position.line}, column ${position.column})`);
  }
}

/** The formula parsed but failed while it ran (the run's error is `AutoScalingFormulaEvaluationError`). */
export class FormulaEvaluationError extends Error {
  override readonly name = "FormulaEvaluationError";
  constructor(
    readonly detail: string,
    readonly position?: FormulaPosition,
  ) {
    super(position ? `${detail} (line ${position.line}, column ${position.column})` : detail);
  }
}
