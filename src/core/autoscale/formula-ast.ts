import type { FormulaPosition } from "./formula-errors.js";

/** An expression of the autoscale formula language. */
export type Expression =
  | { kind: "number"; value: number; position: FormulaPosition }
  | { kind: "string"; value: string; position: FormulaPosition }
  | { kind: "variable"; name: string; position: FormulaPosition }
  | { kind: "vector"; items: Expression[]; position: FormulaPosition }
  | { kind: "unary"; operator: "-" | "!"; operand: Expression; position: FormulaPosition }
  | { kind: "binary"; operator: string; left: Expression; right: Expression; position: FormulaPosition }
  | { kind: "conditional"; test: Expression; then: Expression; otherwise: Expression; position: FormulaPosition }
  | { kind: "call"; name: string; args: Expression[]; position: FormulaPosition }
  | { kind: "method"; target: Expression; name: string; args: Expression[]; position: FormulaPosition }
  | { kind: "member"; target: Expression; name: string; position: FormulaPosition };

/** One statement: an assignment (`name = expression`) or an expression evaluated for its effect (`stop()`). */
export type Statement =
  { kind: "assign"; name: string; value: Expression; position: FormulaPosition } | { kind: "expression"; value: Expression; position: FormulaPosition };

/** The service's limits on a formula ("Create a formula to automatically scale compute nodes"). */
export const MAX_FORMULA_LENGTH = 8192;
export const MAX_STATEMENTS = 100;
