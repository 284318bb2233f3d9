import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countFile, InvalidUtf8Error } from "../../../task/count-file.js";
import { referenceTopWords } from "./reference-top-words.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "count-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("countFile", () => {
  it("keeps the byte-order mark on the first word", async () => {
    const counter = await countFile(await fileWith("bom.txt", "\uFEFFBatch Batch batch"));
    expect(counter.mostCommon(10)).toEqual([
      ["\uFEFFBatch", 1],
      ["Batch", 1],
      ["batch", 1],
    ]);
  });

  it("decodes multi-byte characters split across read chunks (file larger than 64 KiB)", async () => {
    // Odd-length units so that 2-, 3- and 4-byte sequences straddle every chunk boundary.
    const unit = "é€😀 naïve—word’s, 東京 x\u2003y\u0085z ";
    const text = "\uFEFF" + unit.repeat(12_000);
    const counter = await countFile(await fileWith("big.txt", text));
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 65_536);
    expect(counter.mostCommon(100)).toEqual(referenceTopWords(text, 100));
  });

  it.each([
    ["a lone 0xFF byte", [0x61, 0x20, 0xff, 0x20, 0x62]],
    ["a truncated sequence at the end", [0x61, 0x20, 0xc3]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["an overlong encoding", [0xc0, 0xaf]],
    ["a code point above U+10FFFF", [0xf5, 0x80, 0x80, 0x80]],
    ["Latin-1 text", Array.from(Buffer.from("café crème", "latin1"))],
  ])("rejects invalid UTF-8: %s", async (name, bytes) => {
    const path = await fileWith(`invalid-${name.replaceAll(" ", "-")}.txt`, Uint8Array.from(bytes));
    await expect(countFile(path)).rejects.toBeInstanceOf(InvalidUtf8Error);
    await expect(countFile(path)).rejects.toThrow(/not valid UTF-8/);
  });

  it("reports a missing file as such, not as an encoding error", async () => {
    const error = await countFile(join(dir, "missing.txt")).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(InvalidUtf8Error);
    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
  });
});
