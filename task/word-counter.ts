import { mostCommonIds } from "./most-common.js";
import { PYTHON_PUNCTUATION, scanWords, skipPunctuation, trimPunctuation } from "./word-scanner.js";
import { WordTable } from "./word-table.js";

export { PYTHON_PUNCTUATION };

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** `token.strip(string.punctuation)`, by the same byte-level rule the counter applies. */
export function stripPunctuation(token: string): string {
  const bytes = encoder.encode(token);
  const start = skipPunctuation(bytes, 0, bytes.length);
  return decoder.decode(bytes.subarray(start, trimPunctuation(bytes, start, bytes.length)));
}

/**
 * Streaming equivalent of
 * `collections.Counter(w.strip(string.punctuation) for w in text.split())` over UTF-8 input.
 *
 * Feed bytes (`feedBytes`, or `reserve` + `commit` to read straight into the counter's
 * buffer) or text (`feed`) in chunks of any size: a word or a character may span chunks.
 * Then call `end()`. Memory grows with the vocabulary only (see WordTable): the buffer holds
 * one chunk and the unfinished word.
 */
export class WordCounter {
  private readonly table = new WordTable();
  private buffer: Uint8Array;
  /** buffer[0..filled) is input not yet counted: the unfinished word, then new bytes. */
  private filled = 0;
  /** buffer[0..scanned) is the start of the unfinished word, already scanned. */
  private scanned = 0;
  /** The input position of buffer[0], for error messages. */
  private consumed = 0;
  /** A high surrogate that ended the last `feed`: its pair starts the next one. */
  private heldHighSurrogate = "";

  constructor(bufferSize = 1 << 16) {
    this.buffer = new Uint8Array(bufferSize);
  }

  /**
   * Free space of at least `minimum` bytes after the input not yet counted, to read into;
   * then `commit` how many bytes were put there. Grows the buffer only when the unfinished
   * word leaves too little room (a word longer than the buffer).
   */
  reserve(minimum: number): Uint8Array {
    if (this.buffer.length - this.filled < minimum) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.filled + minimum));
      grown.set(this.buffer.subarray(0, this.filled));
      this.buffer = grown;
    }
    return this.buffer.subarray(this.filled);
  }

  /** Counts the words that `length` more bytes at the start of the reserved space complete. */
  commit(length: number): void {
    this.filled += length;
    this.scan(false);
  }

  feedBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length).set(bytes);
    this.commit(bytes.length);
  }

  /** Feeds text as its UTF-8 bytes (a lone surrogate becomes U+FFFD, as TextEncoder writes it). */
  feed(text: string): void {
    let whole = this.heldHighSurrogate + text;
    this.heldHighSurrogate = "";
    const last = whole.charCodeAt(whole.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldHighSurrogate = whole.slice(-1);
      whole = whole.slice(0, -1);
    }
    const { written } = encoder.encodeInto(whole, this.reserve(whole.length * 3));
    this.commit(written);
  }

  /** Counts the last word, if the input did not end in whitespace; a truncated character throws. */
  end(): void {
    const { written } = encoder.encodeInto(this.heldHighSurrogate, this.reserve(3));
    this.heldHighSurrogate = "";
    this.filled += written;
    this.scan(true);
  }

  get vocabularySize(): number {
    return this.table.size;
  }

  /**
   * `Counter.most_common(n)` on Python 3.7+: by count descending, ties by first occurrence.
   * `n <= 0` lists none; `n` above the vocabulary size lists all.
   */
  mostCommon(n: number): Array<[word: string, count: number]> {
    const table = this.table;
    return mostCommonIds(table.size, (id) => table.count(id), n).map((id) => [table.word(id), table.count(id)]);
  }

  private scan(final: boolean): void {
    const counted = scanWords(this.buffer, this.scanned, this.filled, final, this.table, this.consumed);
    this.buffer.copyWithin(0, counted, this.filled);
    this.filled -= counted;
    this.consumed += counted;
    // What is left is an unfinished word, or at most 3 bytes of an unfinished character. In a
    // word, all but its last 3 bytes were scanned: resume at the character boundary before them.
    let resume = this.filled > 3 ? this.filled - 3 : 0;
    while (resume > 0 && (this.buffer[resume]! & 0xc0) === 0x80) resume--;
    this.scanned = resume;
  }
}
