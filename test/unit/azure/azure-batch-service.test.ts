import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BYTES, chunkTasks, inSubmittedOrder } from "../../../src/backends/azure/task-collection-chunks.js";
import { NotModified } from "../../../src/core/access-conditions.js";
import type { BatchError } from "../../../src/core/batch-error.js";
import type { TaskAddParameter, TaskAddResult } from "../../../src/core/models/index.js";
import type { WebResourceLike } from "@azure/ms-rest-js";
import { ACCOUNT_URL, backendAnswering } from "./fake-batch-service.js";

/** A pool exactly as the REST API (and the local backend) spells it. */
const POOL = {
  id: "pool1",
  url: `${ACCOUNT_URL}/pools/pool1`,
  eTag: "0x8DC0000000000AB",
  lastModified: "2024-05-01T10:00:00.123Z",
  creationTime: "2024-05-01T10:00:00.123Z",
  state: "active",
  stateTransitionTime: "2024-05-01T10:00:00.123Z",
  allocationState: "steady",
  allocationStateTransitionTime: "2024-05-01T10:01:02.456Z",
  vmSize: "standard_d2s_v3",
  virtualMachineConfiguration: {
    imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "latest" },
    nodeAgentSKUId: "batch.node.ubuntu 22.04",
    containerConfiguration: {
      type: "dockerCompatible",
      containerImageNames: ["myacr.azurecr.io/malachite-node:1"],
      containerRegistries: [{ registryServer: "myacr.azurecr.io", username: "puller" }],
    },
  },
  resizeTimeout: "PT15M",
  currentDedicatedNodes: 1,
  currentLowPriorityNodes: 0,
  targetDedicatedNodes: 1,
  targetLowPriorityNodes: 0,
  enableAutoScale: false,
  enableInterNodeCommunication: false,
  startTask: {
    commandLine: "/bin/bash -c 'true'",
    containerSettings: { imageName: "myacr.azurecr.io/malachite-node:1", registry: { registryServer: "myacr.azurecr.io", username: "puller" } },
    userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
    maxTaskRetryCount: 0,
    waitForSuccess: true,
  },
  taskSlotsPerNode: 2,
  taskSchedulingPolicy: { nodeFillType: "spread" },
  metadata: [{ name: "k", value: "v" }],
};

const TASK = {
  id: "t1",
  url: `${ACCOUNT_URL}/jobs/job1/tasks/t1`,
  eTag: "0x8DC0000000000CD",
  creationTime: "2024-05-01T10:00:00.000Z",
  lastModified: "2024-05-01T10:00:00.000Z",
  state: "completed",
  stateTransitionTime: "2024-05-01T10:00:05.000Z",
  previousState: "running",
  previousStateTransitionTime: "2024-05-01T10:00:01.000Z",
  commandLine: "/bin/bash -c 'exit 3'",
  constraints: { maxWallClockTime: "PT2S", retentionTime: "P7D", maxTaskRetryCount: 2 },
  requiredSlots: 1,
  executionInfo: {
    startTime: "2024-05-01T10:00:01.000Z",
    endTime: "2024-05-01T10:00:05.000Z",
    exitCode: 3,
    failureInfo: { category: "usererror", code: "FailureExitCode", message: "The task exited with exit code 3", details: [{ name: "Message", value: "x" }] },
    retryCount: 2,
    lastRetryTime: "2024-05-01T10:00:04.000Z",
    requeueCount: 0,
    result: "failure",
  },
  nodeInfo: { affinityId: "TVM:tvm-1", poolId: "pool1", nodeId: "tvm-1", taskRootDirectory: "workitems/job1/job-1/t1" },
};

const withMetadata = (entity: object, set: string) => ({ "odata.metadata": `${ACCOUNT_URL}/$metadata#${set}/@Element`, ...entity });

describe("AzureBackend through the SDK (no network)", () => {
  it("returns entities exactly as the REST API spells them: ISO timestamps, no headers, no OData annotations", async () => {
    const { backend } = await backendAnswering((request, url) => {
      if (url.pathname === "/pools/pool1")
        return { json: withMetadata(POOL, "pools"), headers: { etag: "0xHEADER", "last-modified": "Wed, 01 May 2024 10:00:00 GMT" } };
      if (url.pathname === "/jobs/job1/tasks/t1") return { json: withMetadata(TASK, "tasks") };
      if (url.pathname === "/jobs/job1/taskcounts") {
        const counts = { active: 0, running: 1, completed: 2, succeeded: 1, failed: 1 };
        return { json: { "odata.metadata": "x", taskCounts: counts, taskSlotCounts: counts } };
      }
      return undefined;
    });
    expect(await backend.batch.pool.get("pool1")).toEqual(POOL);
    expect(await backend.batch.task.get("job1", "t1")).toEqual(TASK);
    expect(await backend.batch.job.getTaskCounts("job1")).toEqual({
      taskCounts: { active: 0, running: 1, completed: 2, succeeded: 1, failed: 1 },
      taskSlotCounts: { active: 0, running: 1, completed: 2, succeeded: 1, failed: 1 },
    });
  });

  it("sends requests with the REST names, a registry's username included, and the placement's VM image when the pool has none", async () => {
    const bodies: unknown[] = [];
    const { backend } = await backendAnswering((request, url) => {
      if (request.method === "POST" && url.pathname === "/pools") {
        bodies.push(JSON.parse(request.body as string));
        return { status: 201 };
      }
      if (url.pathname === "/pools/pool1") return { json: POOL };
      return undefined;
    });
    const { id, vmSize, virtualMachineConfiguration, startTask, taskSlotsPerNode } = POOL;
    const spec = { id, vmSize, virtualMachineConfiguration, startTask, taskSlotsPerNode, targetDedicatedNodes: 1 };
    expect(await backend.batch.pool.add(spec as never)).toEqual(POOL);
    expect(bodies[0]).toEqual(spec);
    await backend.batch.pool.add({ id: "pool1", vmSize: "standard_a1", targetDedicatedNodes: 1 });
    expect(bodies[1]).toEqual({
      id: "pool1",
      vmSize: "standard_a1",
      targetDedicatedNodes: 1,
      virtualMachineConfiguration: {
        imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "latest" },
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
      },
    });
  });

  it("refuses a property the SDK would drop, before sending anything", async () => {
    const { backend, requests } = await backendAnswering(() => ({ status: 201 }));
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: BatchError) => [error.statusCode, error.code, error.values[0]?.value],
      );
    const bindMounts = { containerSettings: { imageName: "i", containerHostBatchBindMounts: [{ source: "Shared" }] } };
    expect(await refusal(backend.batch.task.add("job1", { id: "t", commandLine: "true", ...bindMounts }))).toEqual([
      400,
      "UnsupportedProperty",
      "containerSettings.containerHostBatchBindMounts",
    ]);
    expect(
      await refusal(
        backend.batch.task.addCollection("job1", [
          { id: "a", commandLine: "true" },
          { id: "b", commandLine: "true", resourceFiles: [{ httpUrl: "u", extra: 1 }] } as never,
        ]),
      ),
    ).toEqual([400, "UnsupportedProperty", "resourceFiles[0].extra"]);
    expect(await refusal(backend.batch.pool.add({ id: "p", vmSize: "s", startTask: { commandLine: "x", oops: true } } as never))).toEqual([
      400,
      "UnsupportedProperty",
      "startTask.oops",
    ]);
    expect(requests).toEqual([]);
  });

  it("follows odata.nextLink through every page of a list", async () => {
    const { backend, requests } = await backendAnswering((request, url) => {
      if (url.pathname !== "/jobs/job1/tasks") return undefined;
      const page = Number(url.searchParams.get("page") ?? "0");
      const value = [0, 1].map((i) => ({ ...TASK, id: `t${page * 2 + i}` }));
      const next = page < 2 ? { "odata.nextLink": `${ACCOUNT_URL}/jobs/job1/tasks?api-version=2022-10-01.16.0&page=${page + 1}` } : {};
      return { json: { "odata.metadata": "x", value, ...next } };
    });
    const tasks = await backend.batch.task.list("job1");
    expect(tasks.map((task) => task.id)).toEqual(["t0", "t1", "t2", "t3", "t4", "t5"]);
    expect(tasks[5]).toEqual({ ...TASK, id: "t5" });
    expect(requests).toHaveLength(3);
  });

  it("splits a collection into requests of at most 100 tasks and gives the results in the order of the tasks", async () => {
    const sizes: number[] = [];
    const { backend } = await backendAnswering((request, url) => {
      if (url.pathname !== "/jobs/job1/addtaskcollection") return undefined;
      const tasks = (JSON.parse(request.body as string) as { value: TaskAddParameter[] }).value;
      sizes.push(tasks.length);
      const value = tasks
        .map((task) =>
          task.id === "dup"
            ? { status: "clienterror", taskId: task.id, error: { code: "TaskExists", message: { lang: "en-US", value: "The specified task already exists." } } }
            : {
                status: "success",
                taskId: task.id,
                eTag: "0x1",
                lastModified: "2024-05-01T10:00:00.000Z",
                location: `${ACCOUNT_URL}/jobs/job1/tasks/${task.id}`,
              },
        )
        .reverse();
      return { json: { "odata.metadata": "x", value } };
    });
    const tasks = Array.from({ length: 250 }, (_, i) => ({ id: i === 120 ? "dup" : `bulk${i}`, commandLine: "true" }));
    const results = await backend.batch.task.addCollection("job1", tasks);
    expect(sizes).toEqual([100, 100, 50]);
    expect(results.map((result) => result.taskId)).toEqual(tasks.map((task) => task.id));
    expect(results[0]).toEqual({
      status: "success",
      taskId: "bulk0",
      eTag: "0x1",
      lastModified: "2024-05-01T10:00:00.000Z",
      location: `${ACCOUNT_URL}/jobs/job1/tasks/bulk0`,
    });
    expect(results[120]).toMatchObject({ status: "clienterror", error: { code: "TaskExists" } });
    expect(await backend.batch.task.addCollection("job1", [])).toEqual([]);
  });

  it("reads a file's content from the stream and its properties from the headers", async () => {
    const { backend } = await backendAnswering((request, url) => {
      if (url.pathname === "/jobs/job1/tasks/t1/files/wd%2Fout.txt" || url.pathname === "/jobs/job1/tasks/t1/files/wd/out.txt") {
        if (request.method === "GET") return { stream: "hello\n" };
        return {
          headers: {
            "content-length": "6",
            "content-type": "application/octet-stream",
            "last-modified": "Wed, 01 May 2024 10:00:05 GMT",
            "ocp-batch-file-isdirectory": "false",
            "ocp-batch-file-mode": "0644",
            "ocp-batch-file-url": encodeURIComponent(`${ACCOUNT_URL}/jobs/job1/tasks/t1/files/wd/out.txt`),
          },
        };
      }
      return undefined;
    });
    expect((await backend.batch.file.getFromTask("job1", "t1", "wd/out.txt")).toString()).toBe("hello\n");
    expect(await backend.batch.file.getPropertiesFromTask("job1", "t1", "wd/out.txt")).toEqual({
      name: "wd/out.txt",
      url: `${ACCOUNT_URL}/jobs/job1/tasks/t1/files/wd/out.txt`,
      isDirectory: false,
      properties: { lastModified: "2024-05-01T10:00:05.000Z", contentLength: 6, contentType: "application/octet-stream", fileMode: "0644" },
    });
  });

  it("tells a missing file from a missing task when a download answers 404 without a body", async () => {
    const { backend } = await backendAnswering((request, url) => {
      if (url.pathname.includes("/files/")) return { status: 404 };
      if (url.pathname === "/jobs/job1/tasks/t1") return { json: { id: "t1" } };
      if (url.pathname === "/jobs/job1/tasks/gone")
        return { status: 404, json: { code: "TaskNotFound", message: { lang: "en-US", value: "The specified task does not exist." } } };
      if (url.pathname === "/pools/p/nodes/n") return { json: { id: "n" } };
      return undefined;
    });
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: BatchError) => `${error.statusCode} ${error.code}`,
      );
    expect(await code(backend.batch.file.getFromTask("job1", "t1", "wd/none.txt"))).toBe("404 FileNotFound");
    expect(await code(backend.batch.file.getPropertiesFromTask("job1", "t1", "wd/none.txt"))).toBe("404 FileNotFound");
    expect(await code(backend.batch.file.getFromTask("job1", "gone", "stdout.txt"))).toBe("404 TaskNotFound");
    expect(await code(backend.batch.file.getFromComputeNode("p", "n", "startup/stderr.txt"))).toBe("404 FileNotFound");
  });

  it("sends the access conditions as the operation's conditional headers, and none without them", async () => {
    const { backend, requests } = await backendAnswering((request, url) => {
      if (request.method === "GET" && url.pathname === "/pools/pool1") return { json: POOL };
      // The answers the SDK's operation specs expect.
      if (url.pathname === "/jobs/job1/tasks/t1/terminate") return { status: 204 };
      if (url.pathname === "/jobs/job1/tasks/t1") return { status: 200 };
      if (url.pathname.startsWith("/pools/pool1") || url.pathname.startsWith("/jobs/job1")) return { status: 202 };
      return undefined;
    });
    const conditions = {
      ifMatch: '"0x8DC0000000000AB"',
      ifNoneMatch: '"0x1"',
      ifModifiedSince: "2024-05-01T10:00:00Z",
      ifUnmodifiedSince: "Wed, 01 May 2024 10:00:00 GMT",
    };
    const sent = () => {
      const request = requests.at(-1) as WebResourceLike;
      return ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"].map((name) => request.headers.get(name));
    };
    const all = ['"0x8DC0000000000AB"', '"0x1"', "Wed, 01 May 2024 10:00:00 GMT", "Wed, 01 May 2024 10:00:00 GMT"];
    await backend.batch.pool.get("pool1", { conditions });
    expect(sent()).toEqual(all);
    await backend.batch.pool.delete("pool1", { conditions });
    expect(sent()).toEqual(all);
    await backend.batch.pool.resize("pool1", { targetDedicatedNodes: 2 }, { conditions: { ifMatch: "*" } });
    expect(sent()).toEqual(["*", undefined, undefined, undefined]);
    await backend.batch.job.delete("job1", { conditions: { ifUnmodifiedSince: "not a date" } });
    expect(sent()).toEqual([undefined, undefined, undefined, undefined]);
    await backend.batch.job.terminate("job1", "enough", { conditions: { ifMatch: "0x2" } });
    expect(sent()).toEqual(["0x2", undefined, undefined, undefined]);
    expect(JSON.parse(requests.at(-1)?.body as string)).toEqual({ terminateReason: "enough" });
    await backend.batch.task.terminate("job1", "t1", { conditions: { ifNoneMatch: "*" } });
    expect(sent()).toEqual([undefined, "*", undefined, undefined]);
    await backend.batch.task.delete("job1", "t1", { conditions: { ifMatch: "0x3" } });
    expect(sent()).toEqual(["0x3", undefined, undefined, undefined]);
    await backend.batch.pool.get("pool1");
    expect(sent()).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("removes nodes and stops a resize through client.pool.removeNodes and stopResize, with their conditions", async () => {
    const { backend, requests } = await backendAnswering((request, url) => (url.pathname.startsWith("/pools/pool1/") ? { status: 202 } : undefined));
    await backend.batch.pool.removeNodes(
      "pool1",
      { nodeList: ["tvm-1", "tvm-2"], resizeTimeout: "PT10M", nodeDeallocationOption: "taskcompletion" },
      { conditions: { ifMatch: "0x4" } },
    );
    const removal = requests.at(-1) as WebResourceLike;
    expect([removal.method, new URL(removal.url).pathname, removal.headers.get("if-match")]).toEqual(["POST", "/pools/pool1/removenodes", "0x4"]);
    expect(JSON.parse(removal.body as string)).toEqual({ nodeList: ["tvm-1", "tvm-2"], resizeTimeout: "PT10M", nodeDeallocationOption: "taskcompletion" });
    await backend.batch.pool.stopResize("pool1");
    const stop = requests.at(-1) as WebResourceLike;
    expect([stop.method, new URL(stop.url).pathname]).toEqual(["POST", "/pools/pool1/stopresize"]);
  });

  it("answers the service's 304 with NotModified and its 412 with ConditionNotMet", async () => {
    const { backend } = await backendAnswering((request, url) => {
      if (url.pathname === "/pools/pool1") return { status: 304, headers: { etag: "0x8DC0000000000AB", "last-modified": "Wed, 01 May 2024 10:00:00 GMT" } };
      if (url.pathname === "/jobs/job1/tasks/t1") return { status: 304 };
      if (url.pathname === "/jobs/job1" && request.method === "DELETE") {
        return {
          status: 412,
          json: {
            code: "ConditionNotMet",
            message: { lang: "en-US", value: "The condition specified using HTTP conditional header(s) is not met.\nRequestId:x" },
          },
        };
      }
      if (url.pathname === "/jobs/job1") return { status: 412 };
      return undefined;
    });
    const notModified = await backend.batch.pool.get("pool1", { conditions: { ifNoneMatch: "0x8DC0000000000AB" } }).catch((error: unknown) => error);
    expect(notModified).toBeInstanceOf(NotModified);
    expect((notModified as NotModified).entity).toEqual({ eTag: "0x8DC0000000000AB", lastModified: "2024-05-01T10:00:00.000Z" });
    const bare = await backend.batch.task
      .get("job1", "t1", { conditions: { ifNoneMatch: "0x5", ifModifiedSince: "Wed, 01 May 2024 09:00:00 GMT" } })
      .catch((error: unknown) => error);
    expect((bare as NotModified).entity).toEqual({ eTag: "0x5", lastModified: "2024-05-01T09:00:00.000Z" });
    const failed = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: BatchError) => [error.statusCode, error.code, error.message],
      );
    expect(await failed(backend.batch.job.delete("job1", { conditions: { ifMatch: "0x1" } }))).toEqual([
      412,
      "ConditionNotMet",
      "The condition specified using HTTP conditional header(s) is not met.",
    ]);
    expect((await failed(backend.batch.job.get("job1", { conditions: { ifMatch: "0x1" } })))?.slice(0, 2)).toEqual([412, "ConditionNotMet"]);
  });

  it("exposes the task image and the placement, and closes twice without complaint", async () => {
    const { backend } = await backendAnswering(() => undefined);
    expect(backend.kind).toBe("azure");
    expect(backend.taskContainer).toEqual({ imageName: "myacr.azurecr.io/malachite-node:1", registry: { registryServer: "myacr.azurecr.io" } });
    expect(backend.poolPlacement.vmSize).toBe("standard_d2s_v3");
    expect(backend.storage.blobEndpoint).toBe("https://store.blob.core.windows.net");
    await backend.close();
    await backend.close();
  });
});

describe("chunkTasks and inSubmittedOrder", () => {
  it("keeps every request under the byte limit, and sends an oversized task alone", () => {
    const big = (i: number) => ({ id: `big${i}`, commandLine: "x".repeat(60_000) });
    const chunks = chunkTasks(Array.from({ length: 40 }, (_, i) => big(i)));
    expect(chunks.flat().map((task) => task.id)).toEqual(Array.from({ length: 40 }, (_, i) => `big${i}`));
    for (const chunk of chunks) expect(Buffer.byteLength(JSON.stringify({ value: chunk }))).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(chunks.map((chunk) => chunk.length)).toEqual([16, 16, 8]);
    const huge = { id: "huge", commandLine: "y".repeat(MAX_REQUEST_BYTES) };
    expect(chunkTasks([big(0), huge, big(1)]).map((chunk) => chunk.map((task) => task.id))).toEqual([["big0"], ["huge"], ["big1"]]);
    const limited = chunkTasks(
      [1, 2, 3, 4, 5].map((i) => ({ id: `t${i}`, commandLine: "true" })),
      { maxTasks: 2, maxBytes: MAX_REQUEST_BYTES },
    );
    expect(limited.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
  });

  it("orders results by task, the success of a duplicate id first", () => {
    const ok = (taskId: string): TaskAddResult => ({ status: "success", taskId });
    const exists = (taskId: string): TaskAddResult => ({
      status: "clienterror",
      taskId,
      error: { code: "TaskExists", message: { lang: "en-US", value: "exists" } },
    });
    const tasks = ["fresh", "EXISTING", "fresh"].map((id) => ({ id, commandLine: "true" }));
    expect(inSubmittedOrder(tasks, [exists("fresh"), exists("EXISTING"), ok("fresh")])).toEqual([ok("fresh"), exists("EXISTING"), exists("fresh")]);
  });
});
