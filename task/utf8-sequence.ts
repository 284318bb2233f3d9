/** The input is not well-formed UTF-8 (the original fails with a UnicodeDecodeError). */
export class InvalidUtf8Error extends Error {
  override readonly name = "InvalidUtf8Error";
}

/** `decodeUtf8At` result: the sequence at `i` continues past the bytes available so far. */
export const INCOMPLETE = -1;
/** `decodeUtf8At` result: the bytes at `i` are not a well-formed UTF-8 sequence. */
export const MALFORMED = -2;

/**
 * Decodes the multi-byte sequence whose lead byte (≥ 0x80) is at `i`, reading no byte at or
 * after `end`. Returns the code point, INCOMPLETE or MALFORMED. Well-formed means Table 3-7 of
 * the Unicode Standard (no overlong forms, no surrogates, nothing above U+10FFFF): the set
 * Python's strict 'utf-8' codec and a fatal TextDecoder both accept.
 * The sequence's length follows from the code point (`utf8Length`).
 */
export function decodeUtf8At(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i]!;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  let codePoint: number;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    codePoint = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    codePoint = lead & 0x0f;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    codePoint = lead & 0x07;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else {
    return MALFORMED;
  }
  for (let k = 1; k < length; k++) {
    if (i + k >= end) return INCOMPLETE;
    const byte = bytes[i + k]!;
    if (byte < low || byte > high) return MALFORMED;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    low = 0x80;
    high = 0xbf;
  }
  return codePoint;
}

/** The number of bytes UTF-8 takes for a code point. */
export function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
