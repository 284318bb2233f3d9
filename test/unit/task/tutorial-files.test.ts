import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countFile } from "../../../task/count-file.js";
import { batchTaskIdentity, formatOutput } from "../../../task/format-output.js";
import { referenceOutput, referenceWords, TUTORIAL_DIR, TUTORIAL_FILES } from "./reference-top-words.js";

const IDS = { node: "tvm-0", task: "topNtask0", job: "PythonTutorialJob", pool: "PythonTutorialPool" };
const IDENTITY = batchTaskIdentity({
  AZ_BATCH_NODE_ID: IDS.node,
  AZ_BATCH_TASK_ID: IDS.task,
  AZ_BATCH_JOB_ID: IDS.job,
  AZ_BATCH_POOL_ID: IDS.pool,
});

async function produce(file: string, n: number): Promise<string> {
  const counter = await countFile(join(TUTORIAL_DIR, file));
  return formatOutput(counter.mostCommon(n), IDENTITY);
}

describe.each(TUTORIAL_FILES)("tutorial input %s", (file) => {
  it.each([3, 0, 10, 10_000])("top %i matches the reference implementation byte for byte", async (n) => {
    const text = await readFile(join(TUTORIAL_DIR, file), "utf8");
    const expected = Buffer.from(referenceOutput(text, n, IDS));
    expect(Buffer.from(await produce(file, n)).equals(expected)).toBe(true);
  });

  it("starts with a byte-order mark that stays glued to the first word", async () => {
    const bytes = await readFile(join(TUTORIAL_DIR, file));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const counter = await countFile(join(TUTORIAL_DIR, file));
    const words = counter.mostCommon(counter.vocabularySize).map(([word]) => word);
    expect(words.filter((word) => word.includes("\uFEFF"))).toEqual([referenceWords(bytes.toString("utf8"))[0]]);
    expect(words.find((word) => word.includes("\uFEFF"))).toMatch(/^\uFEFF[A-Z][a-z]+$/);
  });
});

describe("known facts about the tutorial files", () => {
  it("gives the known top three", async () => {
    expect((await countFile(join(TUTORIAL_DIR, "taskdata1.txt"))).mostCommon(3)).toEqual([
      ["to", 18],
      ["and", 17],
      ["you", 14],
    ]);
    expect((await countFile(join(TUTORIAL_DIR, "taskdata2.txt"))).mostCommon(3)).toEqual([
      ["Storage", 11],
      ["for", 8],
      ["data", 7],
    ]);
    // "and", "your" and "in" all occur 6 times: "and" occurs first.
    expect((await countFile(join(TUTORIAL_DIR, "taskdata3.txt"))).mostCommon(5)).toEqual([
      ["the", 10],
      ["of", 8],
      ["and", 6],
      ["your", 6],
      ["in", 6],
    ]);
  });

  it("keeps the BOM on taskdata1's first word and em-dash compounds whole", async () => {
    const counter = await countFile(join(TUTORIAL_DIR, "taskdata1.txt"));
    const words = new Map(counter.mostCommon(counter.vocabularySize));
    expect(words.get("\uFEFFBatch")).toBe(1);
    expect(words.get("tasks—processing")).toBe(1);
    expect(words.has("It’s")).toBe(true);
    expect(words.has("")).toBe(false);
  });
});
