import { FormulaSyntaxError, type FormulaPosition } from "./formula-errors.js";

export type TokenKind = "number" | "string" | "identifier" | "operator" | "end";

export interface Token {
  kind: TokenKind;
  text: string;
  position: FormulaPosition;
}

/** Longest first, so `<=` wins over `<`. */
const OPERATORS = ["&&", "||", "==", "!=", "<=", ">=", "+", "-", "*", "/", "<", ">", "!", "?", ":", "=", "(", ")", ",", ".", ";", "[", "]"];

/**
 * Splits an autoscale formula into tokens. Line breaks are whitespace; `//` comments run to the
 * end of the line and `/* … *\/` comments may span lines, as the article's formulas use them.
 */
export function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  const here = (at = index): FormulaPosition => ({ line, column: at - lineStart + 1 });
  while (index < formula.length) {
    const char = formula[index]!;
    if (char === "\n") {
      index += 1;
      line += 1;
      lineStart = index;
      continue;
    }
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (formula.startsWith("//", index)) {
      while (index < formula.length && formula[index] !== "\n") index += 1;
      continue;
    }
    if (formula.startsWith("/*", index)) {
      const start = here();
      const end = formula.indexOf("*/", index + 2);
      if (end < 0) throw new FormulaSyntaxError("Unterminated comment", start);
      for (let i = index; i < end; i += 1) {
        if (formula[i] === "\n") {
          line += 1;
          lineStart = i + 1;
        }
      }
      index = end + 2;
      continue;
    }
    const position = here();
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(formula.slice(index));
    if (number) {
      tokens.push({ kind: "number", text: number[0], position });
      index += number[0].length;
      continue;
    }
    const identifier = /^\$?[A-Za-z_][A-Za-z0-9_]*/.exec(formula.slice(index));
    if (identifier) {
      tokens.push({ kind: "identifier", text: identifier[0], position });
      index += identifier[0].length;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = formula.indexOf(char, index + 1);
      const newline = formula.indexOf("\n", index + 1);
      if (end < 0 || (newline >= 0 && newline < end)) throw new FormulaSyntaxError("Unterminated string literal", position);
      tokens.push({ kind: "string", text: formula.slice(index + 1, end), position });
      index = end + 1;
      continue;
    }
    const operator = OPERATORS.find((candidate) => formula.startsWith(candidate, index));
    if (!operator) throw new FormulaSyntaxError(`Unexpected character '${char}'`, position);
    tokens.push({ kind: "operator", text: operator, position });
    index += operator.length;
  }
  tokens.push({ kind: "end", text: "", position: here() });
  return tokens;
}
