/** Task_ListSubtasks and multi-instance task adds through @azure/batch 10.2.0, with the HTTP layer faked. */
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { ACCOUNT_URL, backendAnswering } from "./fake-batch-service.js";

const SUBTASK = {
  id: 1,
  nodeInfo: {
    poolId: "pool1",
    nodeId: "tvm-1_2",
    taskRootDirectory: "workitems/job1/job-1/mpi",
    taskRootDirectoryUrl: `${ACCOUNT_URL}/pools/pool1/nodes/tvm-1_2/files/workitems/job1/job-1/mpi`,
  },
  startTime: "2024-05-01T10:00:00.000Z",
  endTime: "2024-05-01T10:05:00.000Z",
  exitCode: 0,
  state: "completed",
  stateTransitionTime: "2024-05-01T10:05:00.000Z",
  previousState: "running",
  previousStateTransitionTime: "2024-05-01T10:00:00.000Z",
  result: "success",
};

describe("the Azure backend's subtasks", () => {
  it("lists a task's subtasks with GET .../subtasksinfo, as core models", async () => {
    const { backend, requests } = await backendAnswering((request, url) =>
      request.method === "GET" && url.pathname === "/jobs/job1/tasks/mpi/subtasksinfo" ? { json: { value: [SUBTASK] } } : undefined,
    );
    const subtasks = await backend.batch.task.listSubtasks("job1", "mpi");
    expect(requests).toHaveLength(1);
    expect(subtasks).toEqual([SUBTASK]);
  });

  it("answers an empty list for a response without subtasks, and maps TaskNotFound", async () => {
    const { backend } = await backendAnswering((_request, url) => {
      if (url.pathname === "/jobs/job1/tasks/plain/subtasksinfo") return { json: {} };
      return { status: 404, json: { code: "TaskNotFound", message: { lang: "en-US", value: "The specified task does not exist." } } };
    });
    expect(await backend.batch.task.listSubtasks("job1", "plain")).toEqual([]);
    const error = await backend.batch.task.listSubtasks("job1", "nope").catch((e: BatchError) => e);
    expect(error).toMatchObject({ statusCode: 404, code: "TaskNotFound" });
  });

  it("sends a task's multiInstanceSettings as given", async () => {
    const { backend, requests } = await backendAnswering((request, url) => {
      if (request.method === "POST" && url.pathname === "/jobs/job1/tasks") return { status: 201 };
      if (request.method === "GET" && url.pathname === "/jobs/job1/tasks/mpi") return { json: { id: "mpi", state: "active" } };
      return undefined;
    });
    const settings = { numberOfInstances: 2, coordinationCommandLine: "coord", commonResourceFiles: [{ httpUrl: "https://x/common.txt", filePath: "c.txt" }] };
    await backend.batch.task.add("job1", { id: "mpi", commandLine: "app", multiInstanceSettings: settings });
    expect(JSON.parse(requests[0]?.body as string)).toMatchObject({ id: "mpi", multiInstanceSettings: settings });
  });
});
