import { describe, expect, it } from "vitest";
import { batchTaskIdentity, formatOutput } from "../../../task/format-output.js";

const ENV = {
  AZ_BATCH_NODE_ID: "tvm-1_1-20240101t000000z",
  AZ_BATCH_TASK_ID: "topNtask0",
  AZ_BATCH_JOB_ID: "PythonTutorialJob",
  AZ_BATCH_POOL_ID: "PythonTutorialPool",
};

describe("formatOutput", () => {
  it("writes the original's exact layout", () => {
    expect(
      formatOutput(
        [
          ["to", 18],
          ["", 2],
          ["\uFEFFBatch", 1],
        ],
        batchTaskIdentity(ENV),
      ),
    ).toBe(
      "Word\tCount\n" +
        "------------------------------\n" +
        "to:\t18\n" +
        ":\t2\n" +
        "\uFEFFBatch:\t1\n" +
        "------------------------------\n" +
        "Node: tvm-1_1-20240101t000000z\n" +
        "Task: topNtask0\n" +
        "Job:  PythonTutorialJob\n" +
        "Pool: PythonTutorialPool\n",
    );
  });

  it("writes no word lines for an empty list", () => {
    const text = formatOutput([], batchTaskIdentity(ENV));
    expect(text.split("\n")).toHaveLength(8);
    expect(text.startsWith("Word\tCount\n------------------------------\n------------------------------\nNode: ")).toBe(true);
  });

  it("prints None for a missing AZ_BATCH_* variable", () => {
    expect(batchTaskIdentity({ AZ_BATCH_TASK_ID: "t" })).toEqual({
      nodeId: "None",
      taskId: "t",
      jobId: "None",
      poolId: "None",
    });
  });
});
