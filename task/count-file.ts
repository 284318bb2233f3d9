import { createReadStream } from "node:fs";
import { WordCounter } from "./word-counter.js";

/** The input file is not valid UTF-8 (the original fails with a UnicodeDecodeError). */
export class InvalidUtf8Error extends Error {
  override readonly name = "InvalidUtf8Error";
}

function isInvalidEncoding(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_ENCODING_INVALID_ENCODED_DATA";
}

/**
 * Streams a file through a strict UTF-8 decoder into a WordCounter.
 * The byte-order mark is kept (it becomes part of the first word); invalid UTF-8 throws.
 */
export async function countFile(path: string): Promise<WordCounter> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const counter = new WordCounter();
  try {
    for await (const chunk of createReadStream(path)) {
      counter.feed(decoder.decode(chunk as Buffer, { stream: true }));
    }
    counter.feed(decoder.decode());
  } catch (error) {
    if (isInvalidEncoding(error)) {
      throw new InvalidUtf8Error(`${path} is not valid UTF-8 text`, { cause: error });
    }
    throw error;
  }
  counter.end();
  return counter;
}
