import type { Expression, Statement } from "./formula-ast.js";
import { FormulaEvaluationError } from "./formula-errors.js";
import { FORMULA_FUNCTIONS, StopEvaluation, type FunctionContext } from "./formula-functions.js";
import { applyBinary, applyUnary } from "./formula-operators.js";
import { describe, double, isTrue, text, type FormulaValue } from "./formula-values.js";
import { NODE_DEALLOCATION_OPTIONS, TARGET_ALIASES, isReadOnlyServiceVariable } from "./service-variables.js";
import { TIME_INTERVALS } from "./time-intervals.js";

/** What a formula reads: the service-defined variables by name, and the functions' context. */
export interface FormulaScope extends FunctionContext {
  /** The read-only service variables and the initial values of the read-write ones, by `$Name`. */
  variables: ReadonlyMap<string, FormulaValue>;
}

/** Every variable the formula assigned, in assignment order, and whether `stop()` ended it early. */
export interface FormulaOutcome {
  assigned: Map<string, FormulaValue>;
  stopped: boolean;
}

/**
 * Runs the statements in order. Reading a variable that was never assigned, an operation on
 * the wrong types, or assigning a read-only service variable throws `FormulaEvaluationError`.
 */
export function runStatements(statements: Statement[], scope: FormulaScope): FormulaOutcome {
  const assigned = new Map<string, FormulaValue>();
  const run = new Run(scope, assigned);
  try {
    for (const statement of statements) {
      try {
        if (statement.kind === "assign") {
          if (isReadOnlyServiceVariable(statement.name)) {
            throw new FormulaEvaluationError(`${statement.name} is a read-only service-defined variable`);
          }
          const value = run.evaluate(statement.value);
          if (value.type === "metric") throw new FormulaEvaluationError(`Cannot assign ${describe(value)} to ${statement.name}`);
          assigned.delete(statement.name);
          assigned.set(statement.name, value);
        } else {
          run.evaluate(statement.value);
        }
      } catch (error) {
        if (error instanceof FormulaEvaluationError && !error.position) throw new FormulaEvaluationError(error.detail, statement.position);
        throw error;
      }
    }
  } catch (error) {
    if (error instanceof StopEvaluation) return { assigned, stopped: true };
    throw error;
  }
  return { assigned, stopped: false };
}

const TIMESTAMP_MEMBERS: Record<string, (date: Date) => number> = {
  year: (date) => date.getUTCFullYear(),
  month: (date) => date.getUTCMonth() + 1,
  day: (date) => date.getUTCDate(),
  weekday: (date) => date.getUTCDay(),
  hour: (date) => date.getUTCHours(),
  minute: (date) => date.getUTCMinutes(),
  second: (date) => date.getUTCSeconds(),
};

class Run {
  constructor(
    private readonly scope: FormulaScope,
    private readonly assigned: Map<string, FormulaValue>,
  ) {}

  evaluate(expression: Expression): FormulaValue {
    switch (expression.kind) {
      case "number":
        return double(expression.value);
      case "string":
        return text(expression.value);
      case "variable":
        return this.variable(expression.name);
      case "vector": {
        const items = expression.items.map((item) => this.evaluate(item));
        return { type: "doubleVec", value: items.flatMap((item) => (item.type === "doubleVec" ? item.value : [this.number(item)])) };
      }
      case "unary":
        return applyUnary(expression.operator, this.evaluate(expression.operand));
      case "binary":
        return applyBinary(expression.operator, this.evaluate(expression.left), this.evaluate(expression.right));
      case "conditional":
        return isTrue(this.evaluate(expression.test), "The condition of '?:'") ? this.evaluate(expression.then) : this.evaluate(expression.otherwise);
      case "call": {
        const f = FORMULA_FUNCTIONS[expression.name];
        if (!f) throw new FormulaEvaluationError(`Unknown function ${expression.name}()`);
        return f(
          expression.args.map((arg) => this.evaluate(arg)),
          this.scope,
        );
      }
      case "method": {
        const target = this.evaluate(expression.target);
        if (target.type !== "metric") throw new FormulaEvaluationError(`${expression.name}() is a method of the sampled metrics, not of ${describe(target)}`);
        return target.value.call(
          expression.name,
          expression.args.map((arg) => this.evaluate(arg)),
        );
      }
      case "member": {
        const target = this.evaluate(expression.target);
        const member = TIMESTAMP_MEMBERS[expression.name];
        if (target.type !== "timestamp" || !member) {
          throw new FormulaEvaluationError(
            `${describe(target)} has no member '${expression.name}' (a timestamp has year, month, day, weekday, hour, minute, second)`,
          );
        }
        return double(member(new Date(target.value)));
      }
    }
  }

  private variable(name: string): FormulaValue {
    const own = this.assigned.get(name);
    if (own) return own;
    const service = this.scope.variables.get(name) ?? this.scope.variables.get(TARGET_ALIASES[name] ?? "");
    if (service) return service;
    const interval = TIME_INTERVALS[name];
    if (interval !== undefined) return { type: "timeinterval", value: interval };
    if ((NODE_DEALLOCATION_OPTIONS as readonly string[]).includes(name)) return text(name);
    throw new FormulaEvaluationError(`The variable ${name} is not defined`);
  }

  private number(value: FormulaValue): number {
    if (value.type !== "double") throw new FormulaEvaluationError(`A vector holds doubles, not ${describe(value)}`);
    return value.value;
  }
}
