import type { Expression, Statement } from "./formula-ast.js";
import { MAX_STATEMENTS } from "./formula-ast.js";
import { FormulaSyntaxError } from "./formula-errors.js";
import { tokenize, type Token } from "./formula-lexer.js";

/** Binary operators from the loosest to the tightest binding; all are left-associative. */
const BINARY_LEVELS: string[][] = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/"]];

/**
 * Parses an autoscale formula: statements separated by `;` (the last one may omit it, and so may
 * one followed by an assignment on a new line; empty statements are allowed), each an assignment
 * `name = expression` or a bare expression. Throws
 * `FormulaSyntaxError` with the line and column of the first offending token.
 */
export function parseFormula(formula: string): Statement[] {
  return new Parser(tokenize(formula)).statements();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  statements(): Statement[] {
    const statements: Statement[] = [];
    while (this.peek().kind !== "end") {
      if (this.accept(";")) continue;
      statements.push(this.statement());
      if (statements.length > MAX_STATEMENTS) {
        throw new FormulaSyntaxError(`A formula may contain at most ${MAX_STATEMENTS} statements`, this.peek().position);
      }
      if (this.peek().kind !== "end" && !this.startsAssignmentOnNewLine()) this.expect(";", "Expected ';' between statements");
    }
    return statements;
  }

  /**
   * An assignment that starts a new line ends the statement before it even without its `;`: the
   * article's "complete formula" omits one there ("missing semicolons may result in evaluation
   * errors", it warns), and no formula reads differently for it, since an expression cannot go on
   * with `name =`.
   */
  private startsAssignmentOnNewLine(): boolean {
    const next = this.peek();
    const after = this.tokens[this.index + 1];
    const previous = this.tokens[this.index - 1];
    return (
      next.kind === "identifier" && after?.kind === "operator" && after.text === "=" && previous !== undefined && next.position.line > previous.position.line
    );
  }

  private statement(): Statement {
    const first = this.peek();
    const second = this.tokens[this.index + 1];
    if (first.kind === "identifier" && second?.kind === "operator" && second.text === "=") {
      this.index += 2;
      return { kind: "assign", name: first.text, value: this.expression(), position: first.position };
    }
    return { kind: "expression", value: this.expression(), position: first.position };
  }

  private expression(): Expression {
    const test = this.binary(0);
    const question = this.peek();
    if (!this.accept("?")) return test;
    const then = this.expression();
    this.expect(":", "Expected ':' in the conditional expression");
    return { kind: "conditional", test, then, otherwise: this.expression(), position: question.position };
  }

  private binary(level: number): Expression {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token.kind !== "operator" || !BINARY_LEVELS[level]!.includes(token.text)) return left;
      this.index += 1;
      left = { kind: "binary", operator: token.text, left, right: this.binary(level + 1), position: token.position };
    }
  }

  private unary(): Expression {
    const token = this.peek();
    if (token.kind === "operator" && (token.text === "-" || token.text === "!" || token.text === "+")) {
      this.index += 1;
      const operand = this.unary();
      return token.text === "+" ? operand : { kind: "unary", operator: token.text, operand, position: token.position };
    }
    return this.postfix(this.primary());
  }

  private postfix(target: Expression): Expression {
    while (this.peek().text === "." && this.peek().kind === "operator") {
      this.index += 1;
      const name = this.peek();
      if (name.kind !== "identifier" || name.text.startsWith("$")) throw new FormulaSyntaxError("Expected a method or member name after '.'", name.position);
      this.index += 1;
      target = this.accept("(")
        ? { kind: "method", target, name: name.text, args: this.arguments(), position: name.position }
        : { kind: "member", target, name: name.text, position: name.position };
    }
    return target;
  }

  private primary(): Expression {
    const token = this.peek();
    this.index += 1;
    switch (token.kind) {
      case "number":
        return { kind: "number", value: Number(token.text), position: token.position };
      case "string":
        return { kind: "string", value: token.text, position: token.position };
      case "identifier":
        if (this.accept("(")) return { kind: "call", name: token.text, args: this.arguments(), position: token.position };
        return { kind: "variable", name: token.text, position: token.position };
      case "operator":
        if (token.text === "(") {
          const inner = this.expression();
          this.expect(")", "Expected ')'");
          return inner;
        }
        if (token.text === "[") {
          const items = this.peek().text === "]" ? [] : this.list("]");
          this.expect("]", "Expected ']'");
          return { kind: "vector", items, position: token.position };
        }
        throw new FormulaSyntaxError(`Unexpected '${token.text}'`, token.position);
      case "end":
        throw new FormulaSyntaxError("Unexpected end of formula", token.position);
    }
  }

  /** The arguments of a call, after its `(`. */
  private arguments(): Expression[] {
    if (this.accept(")")) return [];
    const args = this.list(")");
    this.expect(")", "Expected ')' after the arguments");
    return args;
  }

  private list(closing: string): Expression[] {
    const items = [this.expression()];
    while (this.accept(",")) items.push(this.expression());
    if (this.peek().text !== closing) throw new FormulaSyntaxError(`Expected ',' or '${closing}'`, this.peek().position);
    return items;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private accept(operator: string): boolean {
    const token = this.peek();
    if (token.kind !== "operator" || token.text !== operator) return false;
    this.index += 1;
    return true;
  }

  private expect(operator: string, message: string): void {
    if (!this.accept(operator)) {
      const token = this.peek();
      throw new FormulaSyntaxError(`${message}, found ${token.kind === "end" ? "the end of the formula" : `'${token.text}'`}`, token.position);
    }
  }
}
