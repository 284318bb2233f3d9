import { open } from "node:fs/promises";
import { InvalidUtf8Error } from "./utf8-sequence.js";
import { WordCounter } from "./word-counter.js";

export { InvalidUtf8Error };

/** Reads of 1 MiB straight into the counter's buffer: few calls, and the buffer stays small. */
const READ_SIZE = 1 << 20;

/**
 * Counts the words of a UTF-8 file, streaming its bytes (never decoding them to a string).
 * The byte-order mark is kept (it becomes part of the first word); invalid UTF-8 throws
 * InvalidUtf8Error.
 */
export async function countFile(path: string): Promise<WordCounter> {
  const counter = new WordCounter(2 * READ_SIZE);
  const file = await open(path, "r");
  try {
    for (;;) {
      const space = counter.reserve(READ_SIZE);
      const { bytesRead } = await file.read(space, 0, space.length, null);
      if (bytesRead === 0) break;
      counter.commit(bytesRead);
    }
    counter.end();
  } catch (error) {
    if (error instanceof InvalidUtf8Error) throw new InvalidUtf8Error(`${path} is not valid UTF-8 text: ${error.message}`, { cause: error });
    throw error;
  } finally {
    await file.close();
  }
  return counter;
}
