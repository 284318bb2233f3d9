/**
 * The `$filter` subset the Azure Batch list operations accept, compiled into a predicate.
 *
 * Grammar (keywords, function names and the `datetime` prefix are case-insensitive; property names
 * are case-sensitive REST names, as the service documents):
 *
 * ```
 * filter     := orExpr EOF
 * orExpr     := andExpr ("or" andExpr)*
 * andExpr    := unary ("and" unary)*
 * unary      := "not" unary | primary
 * primary    := "(" orExpr ")" | operand [cmpOp operand]      -- a bare operand must be a function call
 * cmpOp      := "eq" | "ne" | "gt" | "ge" | "lt" | "le"
 * operand    := literal | path | function
 * path       := name ("/" name)*                              -- e.g. executionInfo/exitCode
 * function   := ("startswith" | "endswith" | "contains" | "substringof") "(" operand "," operand ")"
 * literal    := 'text' ('' escapes a quote) | integer | decimal | true | false | null
 *             | datetime'2024-01-01T00:00:00Z' | datetimeoffset'…' | 2024-01-01T00:00:00Z (unquoted)
 * ```
 *
 * So precedence is `not` > `and` > `or`, and `not` applies to the whole comparison after it
 * (`not state eq 'active'` means `not (state eq 'active')`).
 *
 * Semantics:
 * - A path walks plain objects; a missing or `null` property is `null`. `x eq null` is true when
 *   `x` is absent; any other comparison with `null` is false, except `ne`, which is the negation of `eq`.
 * - Strings compare case-insensitively (ordinal, upper-cased), for every operator and function. The
 *   Batch docs state that "property names are case sensitive, but property values are case
 *   insensitive"; this also makes ids (case-insensitive in Batch) match in any case.
 * - A `datetime'…'` literal (W3C/ISO 8601 or RFC 1123) compares as a point in time with a string
 *   property holding a timestamp; two plain strings that are both ISO date-times (with a time part)
 *   also compare as times. Fractions beyond milliseconds (Batch uses 7 digits) are kept.
 * - Values of different types (a number against a string, an object against anything) are not
 *   equal and not ordered: `eq`, `gt`, `ge`, `lt`, `le` are false and `ne` is true.
 * - An empty or blank expression matches everything.
 *
 * Any syntax error is a 400 `InvalidQueryParameterValue` naming `$filter`, with a `Reason` that says
 * what is wrong and at which (1-based) character position.
 */
import { BatchError } from "../../core/batch-error.js";

/** The longest `$filter` accepted, in characters. */
export const MAX_FILTER_LENGTH = 4096;
/** The deepest nesting of parentheses, `not` and function calls accepted. */
export const MAX_FILTER_DEPTH = 32;

export type FilterPredicate = (entity: unknown) => boolean;

export interface CompileFilterOptions {
  /**
   * When given, the only property paths the filter may use (e.g. `["state", "executionInfo/exitCode"]`);
   * any other path is a 400, as the service answers for a property it does not filter on.
   */
  properties?: readonly string[];
}

/** The 400 the service answers for a bad query parameter. */
export function invalidQueryParameterValue(name: string, value: string, reason: string): BatchError {
  return new BatchError(400, "InvalidQueryParameterValue", "The value for one of the query parameters specified in the request URI is invalid.", [
    { key: "QueryParameterName", value: name },
    { key: "QueryParameterValue", value },
    { key: "Reason", value: reason },
  ]);
}

/** Parses a `$filter` expression into a predicate over REST-shaped entities; throws a 400 BatchError on bad syntax. */
export function compileFilter(expression: string, options: CompileFilterOptions = {}): FilterPredicate {
  if (expression.length > MAX_FILTER_LENGTH) {
    throw invalidQueryParameterValue(
      "$filter",
      `${expression.slice(0, MAX_FILTER_LENGTH)}…`,
      `The filter is ${expression.length} characters long; at most ${MAX_FILTER_LENGTH} are allowed.`,
    );
  }
  if (expression.trim() === "") return () => true;
  const parser = new Parser(expression, tokenize(expression), options.properties ? new Set(options.properties) : undefined);
  const tree = parser.parseFilter();
  return (entity) => evaluate(tree, entity);
}

// ---------------------------------------------------------------------------------------------
// Values and timestamps

interface Timestamp {
  /** Milliseconds since the epoch. */
  ms: number;
  /** Nanoseconds beyond `ms` (0..999999). */
  ns: number;
}

type Value =
  | { t: "null" }
  | { t: "string"; v: string }
  | { t: "number"; v: number }
  | { t: "boolean"; v: boolean }
  | { t: "datetime"; v: Timestamp }
  | { t: "other" };

const NULL: Value = { t: "null" };
const OTHER: Value = { t: "other" };

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const RFC_1123 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), *)?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (?:GMT|UTC|Z)$/i;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) return undefined; // e.g. 30 February
  return date.getTime();
}

/** An ISO 8601 timestamp; a date-time without an offset is UTC. `requireTime` rejects a bare date. */
function parseIsoTimestamp(text: string, requireTime: boolean): Timestamp | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (requireTime && h === undefined) return undefined;
  let ms = utc(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (ms === undefined) return undefined;
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = Number(digits.slice(2));
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    ms -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { ms: ms + Math.floor(nanos / 1_000_000), ns: nanos % 1_000_000 };
}

function parseRfc1123Timestamp(text: string): Timestamp | undefined {
  const m = RFC_1123.exec(text);
  if (!m) return undefined;
  const [, d, mon, y, h, mi, s] = m;
  const ms = utc(Number(y), MONTHS.indexOf(mon!.toLowerCase()) + 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return ms === undefined ? undefined : { ms, ns: 0 };
}

/** A timestamp in either format the Batch docs allow for `DateTime'…'` literals. */
function parseTimestamp(text: string): Timestamp | undefined {
  const trimmed = text.trim();
  return parseIsoTimestamp(trimmed, false) ?? parseRfc1123Timestamp(trimmed);
}

function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.ms !== b.ms ? Math.sign(a.ms - b.ms) : Math.sign(a.ns - b.ns);
}

function compareStrings(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function asTimestamp(value: Value): Timestamp | undefined {
  if (value.t === "datetime") return value.v;
  if (value.t === "string") return parseTimestamp(value.v);
  return undefined;
}

/** -1, 0 or 1 when the two (non-null) values are comparable, otherwise undefined. */
function order(a: Value, b: Value): number | undefined {
  if (a.t === "number" && b.t === "number") return Math.sign(a.v - b.v);
  if (a.t === "boolean" && b.t === "boolean") return Number(a.v) - Number(b.v);
  if (a.t === "datetime" || b.t === "datetime") {
    const x = asTimestamp(a);
    const y = asTimestamp(b);
    return x && y ? compareTimestamps(x, y) : undefined;
  }
  if (a.t === "string" && b.t === "string") {
    const x = parseIsoTimestamp(a.v, true);
    const y = x && parseIsoTimestamp(b.v, true);
    if (x && y) return compareTimestamps(x, y);
    return compareStrings(a.v, b.v);
  }
  return undefined;
}

type ComparisonOperator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(["eq", "ne", "gt", "ge", "lt", "le"]);

function compare(op: ComparisonOperator, a: Value, b: Value): boolean {
  if (op === "eq" || op === "ne") {
    const equal = a.t === "null" || b.t === "null" ? a.t === b.t : order(a, b) === 0;
    return op === "eq" ? equal : !equal;
  }
  if (a.t === "null" || b.t === "null") return false;
  const c = order(a, b);
  if (c === undefined) return false;
  switch (op) {
    case "gt":
      return c > 0;
    case "ge":
      return c >= 0;
    case "lt":
      return c < 0;
    case "le":
      return c <= 0;
  }
}

type FunctionName = "startswith" | "endswith" | "contains" | "substringof";
const FUNCTIONS: ReadonlySet<string> = new Set(["startswith", "endswith", "contains", "substringof"]);

function callFunction(name: FunctionName, first: Value, second: Value): boolean {
  if (first.t !== "string" || second.t !== "string") return false;
  const a = first.v.toUpperCase();
  const b = second.v.toUpperCase();
  switch (name) {
    case "startswith":
      return a.startsWith(b);
    case "endswith":
      return a.endsWith(b);
    case "contains":
      return a.includes(b);
    case "substringof": // OData v2 order: substringof('needle', haystack)
      return b.includes(a);
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax tree and evaluation

type Operand =
  | { kind: "literal"; value: Value }
  | { kind: "path"; segments: readonly string[] }
  | { kind: "call"; name: FunctionName; args: readonly [Operand, Operand] };

type Node =
  | { kind: "or" | "and"; left: Node; right: Node }
  | { kind: "not"; operand: Node }
  | { kind: "compare"; op: ComparisonOperator; left: Operand; right: Operand }
  | { kind: "test"; call: Extract<Operand, { kind: "call" }> };

function resolvePath(entity: unknown, segments: readonly string[]): Value {
  let current: unknown = entity;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return NULL;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return NULL;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return NULL;
  if (typeof current === "string") return { t: "string", v: current };
  if (typeof current === "number") return Number.isNaN(current) ? OTHER : { t: "number", v: current };
  if (typeof current === "boolean") return { t: "boolean", v: current };
  if (current instanceof Date) return { t: "datetime", v: { ms: current.getTime(), ns: 0 } };
  return OTHER;
}

function valueOf(operand: Operand, entity: unknown): Value {
  switch (operand.kind) {
    case "literal":
      return operand.value;
    case "path":
      return resolvePath(entity, operand.segments);
    case "call":
      return { t: "boolean", v: callFunction(operand.name, valueOf(operand.args[0], entity), valueOf(operand.args[1], entity)) };
  }
}

function evaluate(node: Node, entity: unknown): boolean {
  switch (node.kind) {
    case "or":
      return evaluate(node.left, entity) || evaluate(node.right, entity);
    case "and":
      return evaluate(node.left, entity) && evaluate(node.right, entity);
    case "not":
      return !evaluate(node.operand, entity);
    case "compare":
      return compare(node.op, valueOf(node.left, entity), valueOf(node.right, entity));
    case "test": {
      const result = valueOf(node.call, entity);
      return result.t === "boolean" && result.v;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type Token =
  | { kind: "(" | ")" | "," | "/" | "eof"; pos: number; text: string }
  | { kind: "name"; pos: number; text: string }
  | { kind: "literal"; pos: number; text: string; value: Value };

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const UNQUOTED_DATE_TIME = /\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})?/y;

class FilterSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function describeToken(token: Token): string {
  return token.kind === "eof" ? "the end of the expression" : `'${token.text}' at position ${token.pos + 1}`;
}

function failure(expression: string, error: FilterSyntaxError): BatchError {
  return invalidQueryParameterValue("$filter", expression, `${error.detail}.`);
}

function tokenize(expression: string): Token[] {
  try {
    return tokenizeOrThrow(expression);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw failure(expression, error);
    throw error;
  }
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  // text[start] is the opening quote; '' inside the literal is one quote.
  let value = "";
  let i = start + 1;
  for (;;) {
    const next = text.indexOf("'", i);
    if (next < 0) throw new FilterSyntaxError(start, `Unterminated string literal starting at position ${start + 1}`);
    value += text.slice(i, next);
    if (text[next + 1] === "'") {
      value += "'";
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}

function tokenizeOrThrow(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "," || c === "/") {
      tokens.push({ kind: c, pos: i, text: c });
      i++;
      continue;
    }
    if (c === "'") {
      const { value, end } = readQuoted(text, i);
      tokens.push({ kind: "literal", pos: i, text: text.slice(i, end), value: { t: "string", v: value } });
      i = end;
      continue;
    }
    if (DIGIT.test(c) || (c === "-" && DIGIT.test(text[i + 1] ?? ""))) {
      UNQUOTED_DATE_TIME.lastIndex = i;
      const dateTime = c === "-" ? null : UNQUOTED_DATE_TIME.exec(text);
      let token: Token;
      if (dateTime) {
        const stamp = parseIsoTimestamp(dateTime[0], true);
        if (!stamp) throw new FilterSyntaxError(i, `Invalid date-time '${dateTime[0]}' at position ${i + 1}`);
        token = { kind: "literal", pos: i, text: dateTime[0], value: { t: "datetime", v: stamp } };
      } else {
        NUMBER.lastIndex = i;
        const number = NUMBER.exec(text)!;
        const value = Number(number[0]);
        if (!Number.isFinite(value)) throw new FilterSyntaxError(i, `Number '${number[0]}' at position ${i + 1} is out of range`);
        token = { kind: "literal", pos: i, text: number[0], value: { t: "number", v: value } };
      }
      const end = i + token.text.length;
      if (end < text.length && (NAME_PART.test(text[end]!) || text[end] === "." || text[end] === "-" || text[end] === "'")) {
        throw new FilterSyntaxError(i, `Invalid literal starting at position ${i + 1}`);
      }
      tokens.push(token);
      i = end;
      continue;
    }
    if (NAME_START.test(c)) {
      let end = i + 1;
      while (end < text.length && NAME_PART.test(text[end]!)) end++;
      const name = text.slice(i, end);
      const lower = name.toLowerCase();
      if (text[end] === "'") {
        if (lower !== "datetime" && lower !== "datetimeoffset") {
          throw new FilterSyntaxError(i, `Unknown literal type '${name}' at position ${i + 1}`);
        }
        const { value, end: after } = readQuoted(text, end);
        const stamp = parseTimestamp(value);
        if (!stamp) throw new FilterSyntaxError(i, `Invalid date-time '${value}' at position ${i + 1}`);
        tokens.push({ kind: "literal", pos: i, text: text.slice(i, after), value: { t: "datetime", v: stamp } });
        i = after;
        continue;
      }
      tokens.push({ kind: "name", pos: i, text: name });
      i = end;
      continue;
    }
    throw new FilterSyntaxError(i, `Unexpected character '${c}' at position ${i + 1}`);
  }
  tokens.push({ kind: "eof", pos: text.length, text: "" });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser

const RESERVED: ReadonlySet<string> = new Set(["and", "or", "not", ...COMPARISON_OPERATORS]);

class Parser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
    private readonly allowedPaths: ReadonlySet<string> | undefined,
  ) {}

  parseFilter(): Node {
    try {
      const tree = this.parseOr(0);
      const next = this.peek();
      if (next.kind !== "eof") {
        throw new FilterSyntaxError(next.pos, `Unexpected ${describeToken(next)}; expected 'and', 'or' or the end of the expression`);
      }
      return tree;
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw failure(this.expression, error);
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

  private parseOr(depth: number): Node {
    let left = this.parseAnd(depth);
    while (this.isKeyword("or")) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd(depth) };
    }
    return left;
  }

  private parseAnd(depth: number): Node {
    let left = this.parseUnary(depth);
    while (this.isKeyword("and")) {
      this.next();
      left = { kind: "and", left, right: this.parseUnary(depth) };
    }
    return left;
  }

  private parseUnary(depth: number): Node {
    if (this.isKeyword("not")) {
      const token = this.next();
      return { kind: "not", operand: this.parseUnary(this.enter(depth, token)) };
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): Node {
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

  private parseOperand(depth: number): Operand {
    const token = this.next();
    if (token.kind === "literal") return { kind: "literal", value: token.value };
    if (token.kind !== "name") {
      throw new FilterSyntaxError(token.pos, `Expected a property name or a value but found ${describeToken(token)}`);
    }
    const lower = token.text.toLowerCase();
    if (this.peek().kind === "(") {
      if (!FUNCTIONS.has(lower)) {
        throw new FilterSyntaxError(token.pos, `Unknown function '${token.text}' at position ${token.pos + 1}; supported: startswith, endswith, contains, substringof`);
      }
      const inner = this.enter(depth, token);
      this.next();
      const first = this.parseOperand(inner);
      this.expect(",", `',' between the arguments of ${lower}`);
      const second = this.parseOperand(inner);
      this.expect(")", `')' after the arguments of ${lower}`);
      return { kind: "call", name: lower as FunctionName, args: [first, second] };
    }
    if (lower === "true" || lower === "false") return { kind: "literal", value: { t: "boolean", v: lower === "true" } };
    if (lower === "null") return { kind: "literal", value: NULL };
    if (RESERVED.has(lower)) {
      throw new FilterSyntaxError(token.pos, `Expected a property name or a value but found the keyword ${describeToken(token)}`);
    }
    const segments = [token.text];
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
      throw new FilterSyntaxError(token.pos, `The property '${path}' at position ${token.pos + 1} cannot be used in a filter of this list`);
    }
    return { kind: "path", segments };
  }
}
