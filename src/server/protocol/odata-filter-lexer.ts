/** Splits a `$filter` expression into tokens: punctuation, names and literals (strings, numbers, date-times). */
import type { FilterValue } from "./odata-filter-ast.js";
import { FilterSyntaxError, invalidFilter } from "./odata-filter-syntax-error.js";
import { parseIsoTimestamp, parseTimestamp } from "./odata-filter-timestamp.js";

export type Token =
  | { kind: "(" | ")" | "," | "/" | "eof"; pos: number; text: string }
  | { kind: "name"; pos: number; text: string }
  | { kind: "literal"; pos: number; text: string; value: FilterValue };

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const UNQUOTED_DATE_TIME = /\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})?/y;

/** How an error message names a token. */
export function describeToken(token: Token): string {
  return token.kind === "eof" ? "the end of the expression" : `'${token.text}' at position ${token.pos + 1}`;
}

/** The tokens of the expression, ending with an `eof` token; throws a 400 BatchError on a bad token. */
export function tokenize(expression: string): Token[] {
  try {
    return tokenizeOrThrow(expression);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidFilter(expression, error);
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

/** An unquoted date-time or number starting at `i` (a digit, or '-' before a digit). */
function readNumberOrDateTime(text: string, i: number): Token {
  const c = text[i]!;
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
  return token;
}

/** A name starting at `i`, or a `datetime'…'` / `datetimeoffset'…'` literal. */
function readNameOrTypedLiteral(text: string, i: number): Token {
  let end = i + 1;
  while (end < text.length && NAME_PART.test(text[end]!)) end++;
  const name = text.slice(i, end);
  const lower = name.toLowerCase();
  if (text[end] !== "'") return { kind: "name", pos: i, text: name };
  if (lower !== "datetime" && lower !== "datetimeoffset") {
    throw new FilterSyntaxError(i, `Unknown literal type '${name}' at position ${i + 1}`);
  }
  const { value, end: after } = readQuoted(text, end);
  const stamp = parseTimestamp(value);
  if (!stamp) throw new FilterSyntaxError(i, `Invalid date-time '${value}' at position ${i + 1}`);
  return { kind: "literal", pos: i, text: text.slice(i, after), value: { t: "datetime", v: stamp } };
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
    let token: Token;
    if (c === "(" || c === ")" || c === "," || c === "/") {
      token = { kind: c, pos: i, text: c };
    } else if (c === "'") {
      const { value, end } = readQuoted(text, i);
      token = { kind: "literal", pos: i, text: text.slice(i, end), value: { t: "string", v: value } };
    } else if (DIGIT.test(c) || (c === "-" && DIGIT.test(text[i + 1] ?? ""))) {
      token = readNumberOrDateTime(text, i);
    } else if (NAME_START.test(c)) {
      token = readNameOrTypedLiteral(text, i);
    } else {
      throw new FilterSyntaxError(i, `Unexpected character '${c}' at position ${i + 1}`);
    }
    tokens.push(token);
    i += token.text.length;
  }
  tokens.push({ kind: "eof", pos: text.length, text: "" });
  return tokens;
}
