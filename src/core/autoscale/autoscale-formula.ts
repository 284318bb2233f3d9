import { AutoScaleErrors } from "./autoscale-errors.js";
import { MAX_FORMULA_LENGTH, type Statement } from "./formula-ast.js";
import { FormulaSyntaxError } from "./formula-errors.js";
import { parseFormula } from "./formula-parser.js";

/** A formula as a request gives it: within the length limit and free of syntax errors, or the service's 400. */
export function compileFormula(formula: string): Statement[] {
  if (formula.length > MAX_FORMULA_LENGTH) throw AutoScaleErrors.tooLong(formula.length);
  try {
    return parseFormula(formula);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) throw AutoScaleErrors.syntaxError(error);
    throw error;
  }
}
