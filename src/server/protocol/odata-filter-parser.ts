/**
 * Parses the tokens of a `$filter` expression into a {@link FilterNode} tree, by recursive descent
 * over the grammar documented in `odata-filter.ts`.
 */
import {
  COMPARISON_OPERATORS,
  FUNCTIONS,
  NULL_VALUE,
  type ComparisonOperator,
  type FilterNode,
  type FilterOperand,
  type FunctionName,
} from "./odata-filter-ast.js";
import { describeToken, type Token } from "./odata-filter-lexer.js";
import { FilterSyntaxError, invalidFilter } from "./odata-filter-syntax-error.js";
import { invalidQueryParameterValue } from "./invalid-query-parameter.js";

/** The deepest nesting of parentheses, `not` and function calls accepted. */
export const MAX_FILTER_DEPTH = 32;

/** Words that cannot be property names. */
const RESERVED: ReadonlySet<string> = new Set(["and", "or", "not", ...COMPARISON_OPERATORS]);

export class FilterParser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
    /** When given, the only property paths the filter may use. */
    private readonly allowedPaths: ReadonlySet<string> | undefined,
  ) {}

  /** The whole expression as a tree; throws a 400 BatchError on bad syntax. */
  parseFilter(): FilterNode {
    try {
      const tree = this.parseOr(0);
      const next = this.peek();
      if (next.kind !== "eof") {
        throw new FilterSyntaxError(next.pos, `Unexpected ${describeToken(next)}; expected 'and', 'or' or the end of the expression`);
      }
      return tree;
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw invalidFilter(this.expression, error);
      if (error instanceof RangeError) {
        // A stack overflow despite the depth limit; report it as a bad filter, not a server error.
        throw invalidQueryParameterValue("$filter", this.expression, "The filter is nested too deeply.");
      }
      throw error;
    }
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== "eof") this.index++;
    return token;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === "name" && token.text.toLowerCase() === word;
  }

  private expect(kind: "(" | ")" | ",", what: string): void {
    const token = this.next();
    if (token.kind !== kind) throw new FilterSyntaxError(token.pos, `Expected ${what} but found ${describeToken(token)}`);
  }

  private enter(depth: number, token: Token): number {
    if (depth + 1 > MAX_FILTER_DEPTH) {
      throw new FilterSyntaxError(token.pos, `The filter is nested too deeply at position ${token.pos + 1} (at most ${MAX_FILTER_DEPTH} levels)`);
    }
    return depth + 1;
  }

  private parseOr(depth: number): FilterNode {
    let left = this.parseAnd(depth);
    while (this.isKeyword("or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd(depth) };
    }
    return left;
  }

  private parseAnd(depth: number): FilterNode {
    let left = this.parseUnary(depth);
    while (this.isKeyword("and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary(depth) };
    }
    return left;
  }

  private parseUnary(depth: number): FilterNode {
    if (this.isKeyword("not")) {
      const token = this.next();
      return { kind: "not", operand: this.parseUnary(this.enter(depth, token)) };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): FilterNode {
    const token = this.peek();
    if (token.kind === "(") {
      this.next();
      const inner = this.parseOr(this.enter(depth, token));
      this.expect(")", "')' to close the '(' at position " + (token.pos + 1));
      return inner;
    }
    const left = this.parseOperand(depth);
    const op = this.peek();
    if (op.kind === "name" && COMPARISON_OPERATORS.has(op.text.toLowerCase())) {
      this.next();
      const right = this.parseOperand(depth);
      return { kind: "compare", op: op.text.toLowerCase() as ComparisonOperator, left, right };
    }
    if (left.kind === "call") return { kind: "test", call: left };
    throw new FilterSyntaxError(
      op.pos,
      `Expected a comparison operator (eq, ne, gt, ge, lt, le) after '${this.expression.slice(token.pos, op.kind === "eof" ? undefined : op.pos).trim()}' but found ${describeToken(op)}`,
    );
  }

  private parseOperand(depth: number): FilterOperand {
    const token = this.next();
    if (token.kind === "literal") return { kind: "literal", value: token.value };
    if (token.kind !== "name") {
      throw new FilterSyntaxError(token.pos, `Expected a property name or a value but found ${describeToken(token)}`);
    }
    const lower = token.text.toLowerCase();
    if (this.peek().kind === "(") return this.parseCall(depth, token);
    if (lower === "true" || lower === "false") return { kind: "literal", value: { t: "boolean", v: lower === "true" } };
    if (lower === "null") return { kind: "literal", value: NULL_VALUE };
    if (RESERVED.has(lower)) {
      throw new FilterSyntaxError(token.pos, `Expected a property name or a value but found the keyword ${describeToken(token)}`);
    }
    return this.parsePath(token);
  }

  /** A function call; `name` has been read and the next token is its '('. */
  private parseCall(depth: number, name: Token): FilterOperand {
    const lower = name.text.toLowerCase();
    if (!FUNCTIONS.has(lower)) {
      throw new FilterSyntaxError(
        name.pos,
        `Unknown function '${name.text}' at position ${name.pos + 1}; supported: startswith, endswith, contains, substringof`,
      );
    }
    const inner = this.enter(depth, name);
    this.next();
    const first = this.parseOperand(inner);
    this.expect(",", `',' between the arguments of ${lower}`);
    const second = this.parseOperand(inner);
    this.expect(")", `')' after the arguments of ${lower}`);
    return { kind: "call", name: lower as FunctionName, args: [first, second] };
  }

  /** What an unknown path could have been: the same name in its right case, else every path allowed. */
  private allowedHint(path: string): string {
    const allowed = [...(this.allowedPaths ?? [])];
    const sameIgnoringCase = allowed.find((name) => name.toLowerCase() === path.toLowerCase());
    if (sameIgnoringCase) return `property names are case-sensitive: did you mean '${sameIgnoringCase}'?`;
    return `it filters on ${allowed.join(", ")}`;
  }

  /** A property path such as `executionInfo/exitCode`; its first name has been read. */
  private parsePath(first: Token): FilterOperand {
    const segments = [first.text];
    while (this.peek().kind === "/") {
      this.next();
      const segment = this.next();
      if (segment.kind !== "name" || RESERVED.has(segment.text.toLowerCase())) {
        const what = segment.kind === "name" ? `the keyword ${describeToken(segment)}` : describeToken(segment);
        throw new FilterSyntaxError(segment.pos, `Expected a property name after '/' but found ${what}`);
      }
      segments.push(segment.text);
    }
    const path = segments.join("/");
    if (this.allowedPaths && !this.allowedPaths.has(path)) {
      throw new FilterSyntaxError(
        first.pos,
        `The property '${path}' at position ${first.pos + 1} cannot be used in a filter of this list; ${this.allowedHint(path)}`,
      );
    }
    return { kind: "path", segments };
  }
}
