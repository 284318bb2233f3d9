import { isPythonWhitespace } from "./python-whitespace.js";

/** Python's `string.punctuation`: the only characters stripped from the ends of a token. */
export const PYTHON_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

const PUNCTUATION_CODES = new Set(Array.from(PYTHON_PUNCTUATION, (c) => c.charCodeAt(0)));

/** `token.strip(string.punctuation)`. */
export function stripPunctuation(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && PUNCTUATION_CODES.has(token.charCodeAt(start))) start++;
  while (end > start && PUNCTUATION_CODES.has(token.charCodeAt(end - 1))) end--;
  return token.slice(start, end);
}

/**
 * Streaming equivalent of
 * `collections.Counter(w.strip(string.punctuation) for w in text.split())`.
 *
 * Feed decoded text in chunks of any size (a token may span chunks), then call `end()`.
 * Memory grows with the vocabulary only: the text is not kept, just the token in progress.
 */
export class WordCounter {
  /** word → count; a Map iterates in insertion order, i.e. by first occurrence. */
  private readonly counts = new Map<string, number>();
  private pending = "";

  feed(chunk: string): void {
    let tokenStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (!isPythonWhitespace(chunk.charCodeAt(i))) continue;
      this.pending += chunk.slice(tokenStart, i);
      this.flushToken();
      tokenStart = i + 1;
    }
    this.pending += chunk.slice(tokenStart);
  }

  /** Counts the last token, if the text did not end in whitespace. */
  end(): void {
    this.flushToken();
  }

  get vocabularySize(): number {
    return this.counts.size;
  }

  /**
   * `Counter.most_common(n)` on Python 3.7+: by count descending, ties by first occurrence.
   * `n <= 0` lists none; `n` above the vocabulary size lists all.
   */
  mostCommon(n: number): Array<[word: string, count: number]> {
    if (!(n > 0)) return [];
    // Array.prototype.sort is stable, so equal counts keep first-occurrence order.
    return [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, n);
  }

  private flushToken(): void {
    if (this.pending === "") return;
    const word = stripPunctuation(this.pending);
    this.pending = "";
    this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
  }
}
