import { describe, expect, it } from "vitest";
import { isPythonWhitespace, PYTHON_WHITESPACE_RANGES } from "../../../task/python-whitespace.js";

// Spelled out one by one: the characters for which Python's str.isspace() is true.
const EXPECTED =
  "\u0009\u000a\u000b\u000c\u000d\u001c\u001d\u001e\u001f\u0020\u0085\u00a0\u1680" +
  "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

describe("isPythonWhitespace", () => {
  it("is true exactly for Python's str.isspace() set over the whole BMP", () => {
    const expected = new Set(Array.from(EXPECTED, (c) => c.charCodeAt(0)));
    expect(expected.size).toBe(29);
    const mismatches: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isPythonWhitespace(code) !== expected.has(code)) mismatches.push(code.toString(16));
    }
    expect(mismatches).toEqual([]);
  });

  it("differs from JavaScript's \\s where the contract says", () => {
    for (const c of ["\u001c", "\u001d", "\u001e", "\u001f", "\u0085"]) {
      expect(/\s/.test(c)).toBe(false);
      expect(isPythonWhitespace(c.charCodeAt(0))).toBe(true);
    }
    expect(/\s/.test("\ufeff")).toBe(true);
    expect(isPythonWhitespace(0xfeff)).toBe(false);
  });

  it("does not treat the zero-width space, the BOM or other look-alikes as whitespace", () => {
    for (const code of [0x200b, 0xfeff, 0x180e, 0x2060, 0x00ad, 0x0000, 0x0008, 0x000e, 0x001b, 0x0021]) {
      expect(isPythonWhitespace(code)).toBe(false);
    }
  });

  it("lists its ranges in ascending order (the lookup relies on it)", () => {
    for (let i = 1; i < PYTHON_WHITESPACE_RANGES.length; i++) {
      expect(PYTHON_WHITESPACE_RANGES[i]![0]).toBeGreaterThan(PYTHON_WHITESPACE_RANGES[i - 1]![1]);
    }
  });
});
