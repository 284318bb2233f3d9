/**
 * The characters for which Python's `str.isspace()` is true, i.e. the separators of the
 * original task's `str.split()`, as inclusive code-point ranges in ascending order.
 *
 * This is NOT JavaScript's `\s`: `\s` also matches U+FEFF (the byte-order mark, which must
 * stay glued to the first word) and misses U+001C–U+001F and U+0085.
 */
export const PYTHON_WHITESPACE_RANGES: ReadonlyArray<readonly [first: number, last: number]> = [
  [0x0009, 0x000d],
  [0x001c, 0x0020],
  [0x0085, 0x0085],
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];

/** Whether a UTF-16 code unit is Python whitespace (none of them is a surrogate). */
export function isPythonWhitespace(codeUnit: number): boolean {
  for (const [first, last] of PYTHON_WHITESPACE_RANGES) {
    if (codeUnit < first) return false;
    if (codeUnit <= last) return true;
  }
  return false;
}
