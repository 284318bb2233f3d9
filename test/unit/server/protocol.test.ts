/**
 * The Batch REST protocol on the wire, with plain `fetch` and requests signed as @azure/batch
 * signs them: paging, OData, api-versions, conditional requests, authentication, error bodies,
 * and bad input that must never take the server down. The server runs in-process over a local
 * backend with a fake node runtime (test-bed.ts): no Docker.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument,
   @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return --
   response bodies are untyped JSON here, read as the wire carries them. */
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptedShell } from "../../support/fake-programs.js";
import { HttpFileServer } from "../../support/http-file-server.js";
import { signedFetcher, type BatchFetch, type BatchHttpResponse } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

const NODE_POOL = "ProtoPool"; // one node, shared by every test that runs a task
const EMPTY_POOL = "ProtoEmptyPool"; // no nodes: its jobs' tasks stay active
const RUN_JOB = "ProtoRunJob";
const JSON_TYPE = "application/json;odata=minimalmetadata";
const ERROR_METADATA = /\/\$metadata#Microsoft\.Azure\.Batch\.Protocol\.Entities\.Container\.errors\/@Element$/;
const WRONG_KEY = Buffer.from("this-is-not-the-account-key-0123456789-0123456789-0123456789-abc").toString("base64");
const VM_CONFIG = {
  imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
  nodeAgentSKUId: "batch.node.ubuntu 22.04",
};

let bed: TestBed;
let batchUrl: string;
let batch: BatchFetch;

/** The service's flat error body, with its headers. */
function expectError(
  response: BatchHttpResponse,
  status: number,
  code?: string,
): { code: string; message: { lang: string; value: string }; values?: { key: string; value: string }[] } {
  const context = `${response.status} ${response.text}`;
  expect(response.status, context).toBe(status);
  expect(response.headers.get("content-type"), context).toBe(JSON_TYPE);
  expect(response.headers.get("request-id"), context).toMatch(/^[0-9a-f-]{36}$/);
  const body = response.json;
  expect(body, context).toBeTypeOf("object");
  expect(body["odata.error"], context).toBeUndefined();
  expect(body["odata.metadata"], context).toMatch(ERROR_METADATA);
  expect(body.code, context).toBeTypeOf("string");
  if (code !== undefined) expect(body.code, context).toBe(code);
  expect(body.message, context).toMatchObject({ lang: "en-US", value: expect.any(String) });
  expect(body.message.value, context).toContain(`RequestId:${response.headers.get("request-id")}`);
  if (body.values !== undefined) {
    expect(Array.isArray(body.values), context).toBe(true);
    for (const value of body.values) expect(value, context).toEqual({ key: expect.any(String), value: expect.any(String) });
  }
  return body;
}

function detail(body: { values?: { key: string; value: string }[] }, key: string): string | undefined {
  return body.values?.find((value) => value.key === key)?.value;
}

/** After a bad request, an ordinary one still works. */
async function expectServerAlive(): Promise<void> {
  const response = await batch(`/pools/${NODE_POOL}`);
  expect(response.status).toBe(200);
  expect(response.json.id).toBe(NODE_POOL);
}

async function taskState(jobId: string, taskId: string): Promise<any> {
  return (await batch(`/jobs/${jobId}/tasks/${taskId}`)).json;
}

async function completed(jobId: string, taskId: string): Promise<any> {
  return bed.waitFor(async () => {
    const task = await taskState(jobId, taskId);
    return task?.state === "completed" && task;
  }, `task ${taskId} to complete`);
}

async function addJob(id: string, poolId = EMPTY_POOL): Promise<void> {
  const response = await batch("/jobs", { json: { id, poolInfo: { poolId } } });
  expect(response.status, response.text).toBe(201);
}

/** What the command lines of these tests do on the fake nodes. */
function scriptPrograms(): void {
  bed.runtime.programs.set(
    "/bin/bash",
    scriptedShell({
      "exit 3": () => ({ exitCode: 3 }),
      "cat old-input.txt": async (run) => ({ stdout: await readFile(run.hostPath("old-input.txt"), "utf8") }),
      'printf "hello world from a task file\\n" > x.txt': async (run) => {
        await writeFile(run.hostPath("x.txt"), "hello world from a task file\n");
        return {};
      },
    }),
  );
}

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  scriptPrograms();
  batchUrl = bed.account.batchUrl;
  batch = signedFetcher(bed.account);
  const nodePool = await batch("/pools", {
    json: { id: NODE_POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: VM_CONFIG, targetDedicatedNodes: 1 },
  });
  expect(nodePool.status, nodePool.text).toBe(201);
  const emptyPool = await batch("/pools", {
    json: { id: EMPTY_POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: VM_CONFIG, targetDedicatedNodes: 0 },
  });
  expect(emptyPool.status, emptyPool.text).toBe(201);
  await addJob(RUN_JOB, NODE_POOL);
  await bed.waitFor(async () => {
    const nodes: { state: string }[] = (await batch(`/pools/${NODE_POOL}/nodes`)).json?.value ?? [];
    return nodes.length === 1 && nodes[0]?.state === "idle";
  }, "the pool's node to be idle");
});

afterAll(async () => {
  await bed?.close();
  expect(await bed.runtime.listManaged({ "malachite.pool": NODE_POOL })).toEqual([]);
});

describe("paging", () => {
  const jobId = "ProtoPagingJob";

  beforeAll(async () => {
    await addJob(jobId);
    const value = Array.from({ length: 25 }, (_, i) => ({ id: `page-task-${String(i).padStart(2, "0")}`, commandLine: "/bin/true" }));
    const response = await batch(`/jobs/${jobId}/addtaskcollection`, { json: { value } });
    expect(response.status, response.text).toBe(200);
    expect(response.json.value.every((result: { status: string }) => result.status === "success")).toBe(true);
  });

  it("pages 25 tasks by 10 through absolute nextLinks that keep api-version and $filter", async () => {
    const filter = "state eq 'active'";
    const pages: BatchHttpResponse[] = [await batch(`/jobs/${jobId}/tasks`, { query: { maxresults: "10", $filter: filter } })];
    for (;;) {
      const last = pages[pages.length - 1]!;
      expect(last.status, last.text).toBe(200);
      const next = last.json["odata.nextLink"];
      if (next === undefined) break;
      expect(next.startsWith(`${batchUrl}/jobs/${jobId}/tasks?`), next).toBe(true);
      const nextUrl = new URL(next);
      expect(nextUrl.searchParams.get("api-version")).toBe("2024-07-01.20.0");
      expect(nextUrl.searchParams.get("$filter")).toBe(filter);
      expect(nextUrl.searchParams.get("maxresults")).toBe("10");
      expect(pages.length).toBeLessThan(5);
      pages.push(await batch(next, { apiVersion: null }));
    }
    expect(pages.map((page) => page.json.value.length)).toEqual([10, 10, 5]);
    expect(pages[2]!.json["odata.nextLink"]).toBeUndefined();
    expect(pages[0]!.json["odata.metadata"]).toBe(`${batchUrl}/$metadata#tasks`);
    const ids = pages.flatMap((page) => page.json.value.map((task: { id: string }) => task.id));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `page-task-${String(i).padStart(2, "0")}`));
  });

  it("refuses maxresults=0", async () => {
    const body = expectError(await batch(`/jobs/${jobId}/tasks`, { query: { maxresults: "0" } }), 400, "InvalidQueryParameterValue");
    expect(detail(body, "QueryParameterName")).toBe("maxresults");
    await expectServerAlive();
  });
});

describe("OData $filter and $select, error bodies and request ids", () => {
  beforeAll(async () => {
    const value = [
      { id: "ok", commandLine: "/bin/true" },
      { id: "bad", commandLine: "/bin/bash -c 'exit 3'" },
    ];
    const response = await batch(`/jobs/${RUN_JOB}/addtaskcollection`, { json: { value } });
    expect(response.status, response.text).toBe(200);
    await completed(RUN_JOB, "ok");
    await completed(RUN_JOB, "bad");
  });

  const ids = async (query: Record<string, string>) => {
    const response = await batch(`/jobs/${RUN_JOB}/tasks`, { query });
    expect(response.status, response.text).toBe(200);
    return response.json.value.map((task: { id: string }) => task.id).sort();
  };

  it("filters tasks on state and executionInfo fields", async () => {
    expect(await ids({ $filter: "executionInfo/exitCode eq 3" })).toEqual(["bad"]);
    expect(await ids({ $filter: "executionInfo/exitCode eq 0 and state eq 'completed'" })).toContain("ok");
    expect(await ids({ $filter: "executionInfo/exitCode eq 0 and state eq 'completed'" })).not.toContain("bad");
    expect(await ids({ $filter: "executionInfo/result eq 'failure'" })).toEqual(["bad"]);
    expect(await ids({ $filter: "state eq 'active'" })).toEqual([]);
  });

  it("selects top-level properties", async () => {
    const response = await batch(`/jobs/${RUN_JOB}/tasks`, { query: { $select: "id,state", $filter: "id eq 'bad'" } });
    expect(response.json.value).toEqual([{ id: "bad", state: "completed" }]);
    const one = await batch(`/jobs/${RUN_JOB}/tasks/bad`, { query: { $select: "id,executionInfo" } });
    expect(Object.keys(one.json).sort()).toEqual(["executionInfo", "id", "odata.metadata"]);
    expect(one.json.executionInfo).toMatchObject({ exitCode: 3, result: "failure" });
  });

  it("answers a broken $filter with the flat error body, its content type and a request-id", async () => {
    const response = await batch(`/jobs/${RUN_JOB}/tasks`, { query: { $filter: "state eq" } });
    const body = expectError(response, 400, "InvalidQueryParameterValue");
    expect(detail(body, "QueryParameterName")).toBe("$filter");
    expect(detail(body, "QueryParameterValue")).toBe("state eq");
    expect(Object.keys(body).sort()).toEqual(["code", "message", "odata.metadata", "values"]);
    await expectServerAlive();
  });

  it("echoes client-request-id only when return-client-request-id is true", async () => {
    const clientRequestId = "9c4f3a2e-5b1d-4e8f-9a7c-1d2e3f4a5b6c";
    const echoed = await batch(`/pools/${NODE_POOL}`, { headers: { "client-request-id": clientRequestId, "return-client-request-id": "true" } });
    expect(echoed.headers.get("client-request-id")).toBe(clientRequestId);
    expect(echoed.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(echoed.headers.get("request-id")).not.toBe(clientRequestId);
    const notAsked = await batch(`/pools/${NODE_POOL}`, { headers: { "client-request-id": clientRequestId } });
    expect(notAsked.headers.get("client-request-id")).toBeNull();
    const refused = await batch(`/pools/${NODE_POOL}`, { headers: { "client-request-id": clientRequestId, "return-client-request-id": "false" } });
    expect(refused.headers.get("client-request-id")).toBeNull();
    const onError = await batch("/pools/NoSuchPool", { headers: { "client-request-id": clientRequestId, "return-client-request-id": "true" } });
    expectError(onError, 404, "PoolNotFound");
    expect(onError.headers.get("client-request-id")).toBe(clientRequestId);
  });
});

describe("api-versions", () => {
  const OLD = "2017-09-01.6.0";
  let files: HttpFileServer;

  beforeAll(async () => {
    files = await HttpFileServer.start({ "/protocol-input/old-input.txt": "from the 2017 api\n" });
  });

  afterAll(async () => {
    await files?.close();
  });

  /** A URL shaped like a blob SAS URL; the resource file only needs it to answer GET. */
  const blobSasUrl = (name: string) => `${files.url}/protocol-input/${name}?sv=2021-08-06&sr=b&sp=r&sig=fake`;

  it(`${OLD}: accepts maxTasksPerNode on a pool and echoes it back in the old name`, async () => {
    const created = await batch("/pools", {
      apiVersion: OLD,
      json: {
        id: "ProtoPool2017",
        vmSize: "STANDARD_A1",
        virtualMachineConfiguration: {
          imageReference: { publisher: "Canonical", offer: "UbuntuServer", sku: "16.04-LTS", version: "latest" },
          nodeAgentSKUId: "batch.node.ubuntu 16.04",
        },
        targetDedicatedNodes: 0,
        maxTasksPerNode: 2,
      },
    });
    expect(created.status, created.text).toBe(201);
    const pool = await batch("/pools/ProtoPool2017", { apiVersion: OLD });
    expect(pool.status).toBe(200);
    expect(pool.json.maxTasksPerNode).toBe(2);
    expect(pool.json.taskSlotsPerNode).toBeUndefined();
    const current = await batch("/pools/ProtoPool2017", { apiVersion: "2022-10-01.16.0" });
    expect(current.json.taskSlotsPerNode).toBe(2);
    expect(current.json.maxTasksPerNode).toBeUndefined();
  });

  it(`${OLD}: runs a task whose resource file names a blobSource and echoes it back in the old name`, async () => {
    const url = blobSasUrl("old-input.txt");
    const created = await batch(`/jobs/${RUN_JOB}/tasks`, {
      apiVersion: OLD,
      json: { id: "old-api-task", commandLine: "/bin/bash -c 'cat old-input.txt'", resourceFiles: [{ blobSource: url, filePath: "old-input.txt" }] },
    });
    expect(created.status, created.text).toBe(201);
    const done = await completed(RUN_JOB, "old-api-task");
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
    const old = await batch(`/jobs/${RUN_JOB}/tasks/old-api-task`, { apiVersion: OLD });
    expect(old.json.resourceFiles).toEqual([{ blobSource: url, filePath: "old-input.txt" }]);
    const current = await batch(`/jobs/${RUN_JOB}/tasks/old-api-task`, { apiVersion: "2024-07-01.20.0" });
    expect(current.json.resourceFiles).toEqual([{ httpUrl: url, filePath: "old-input.txt" }]);
    const stdout = await batch(`/jobs/${RUN_JOB}/tasks/old-api-task/files/stdout.txt`, { apiVersion: OLD });
    expect(stdout.text).toBe("from the 2017 api\n");
  });

  it(`${OLD}: GET /nodeagentskus has the Ubuntu 16.04 sku the tutorial's helper selects`, async () => {
    const response = await batch("/nodeagentskus", { apiVersion: OLD });
    expect(response.status, response.text).toBe(200);
    // helpers.select_latest_verified_vm_image_with_node_agent_sku("Canonical", "UbuntuServer", "16")
    const candidates: { id: string; ref: { publisher: string; offer: string; sku: string } }[] = [];
    for (const sku of response.json.value as { id: string; osType: string; verifiedImageReferences: { publisher: string; offer: string; sku: string }[] }[]) {
      for (const ref of [...sku.verifiedImageReferences].sort((a, b) => a.sku.localeCompare(b.sku))) {
        if (ref.publisher.toLowerCase() === "canonical" && ref.offer.toLowerCase() === "ubuntuserver" && ref.sku.startsWith("16"))
          candidates.push({ id: sku.id, ref });
      }
    }
    expect(candidates[0]).toMatchObject({ id: "batch.node.ubuntu 16.04", ref: { publisher: "Canonical", offer: "UbuntuServer", sku: "16.04-LTS" } });
    // One entry per node agent SKU, with every image it runs.
    const ids = (response.json.value as { id: string }[]).map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sku = (response.json.value as { id: string; osType: string }[]).find((s) => s.id === "batch.node.ubuntu 16.04");
    expect(sku?.osType).toBe("linux");
  });

  for (const version of ["2022-10-01.16.0", "2024-07-01.20.0"]) {
    it(`${version}: serves pools in the current names`, async () => {
      const response = await batch(`/pools/${NODE_POOL}`, { apiVersion: version });
      expect(response.status, response.text).toBe(200);
      expect(response.json).toMatchObject({ id: NODE_POOL, taskSlotsPerNode: 1, state: "active" });
      expect(response.json.maxTasksPerNode).toBeUndefined();
      const images = await batch("/supportedimages", { apiVersion: version });
      expect(images.status).toBe(200);
      expect(images.json.value.length).toBeGreaterThan(0);
    });
  }

  it("2025-06-01: answers, ignoring the timeOut query parameter", async () => {
    const pools = await batch("/pools", { apiVersion: "2025-06-01", query: { timeOut: "30", maxresults: "5" } });
    expect(pools.status, pools.text).toBe(200);
    expect(pools.json.value.map((pool: { id: string }) => pool.id)).toContain(NODE_POOL);
    const pool = await batch(`/pools/${NODE_POOL}`, { apiVersion: "2025-06-01", query: { timeOut: "30" } });
    expect(pool.status).toBe(200);
    expect(pool.json.taskSlotsPerNode).toBe(1);
  });

  it("refuses a request without api-version", async () => {
    const body = expectError(await batch("/pools", { apiVersion: null }), 400, "MissingRequiredQueryParameter");
    expect(detail(body, "QueryParameterName")).toBe("api-version");
    await expectServerAlive();
  });

  it("refuses a garbage api-version", async () => {
    expectError(await batch("/pools", { apiVersion: "banana" }), 400);
    expectError(await batch("/pools", { apiVersion: "1999-01-01.1.0" }), 400);
    await expectServerAlive();
  });
});

describe("conditional requests and create headers", () => {
  it("returns ETag and Last-Modified on GET, and 304 for If-None-Match with that ETag", async () => {
    const response = await batch(`/pools/${NODE_POOL}`);
    const eTag = response.headers.get("etag");
    expect(eTag).toBeTruthy();
    expect(eTag).toBe(response.json.eTag);
    const lastModified = response.headers.get("last-modified");
    expect(lastModified).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(Date.parse(lastModified!)).toBe(Math.floor(Date.parse(response.json.lastModified) / 1000) * 1000);
    const notModified = await batch(`/pools/${NODE_POOL}`, { headers: { "If-None-Match": eTag! } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    // RFC 9110 §15.4.5: a 304 carries the ETag a 200 would have carried.
    expect(notModified.headers.get("etag")).toBe(eTag);
    const modified = await batch(`/pools/${NODE_POOL}`, { headers: { "If-None-Match": '"0x8D0000000000000"' } });
    expect(modified.status).toBe(200);
  });

  it("answers If-Match with a wrong ETag on DELETE with 412 ConditionNotMet, and deletes nothing", async () => {
    await addJob("ProtoConditionJob");
    expectError(await batch("/jobs/ProtoConditionJob", { method: "DELETE", headers: { "If-Match": '"wrong"' } }), 412, "ConditionNotMet");
    expect((await batch("/jobs/ProtoConditionJob")).json.state).toBe("active");
    const eTag = (await batch("/jobs/ProtoConditionJob")).headers.get("etag")!;
    expect((await batch("/jobs/ProtoConditionJob", { method: "DELETE", headers: { "If-Match": eTag } })).status).toBe(202);
  });

  it("answers a create with 201, DataServiceId, Location, ETag and Last-Modified", async () => {
    const response = await batch("/jobs", { json: { id: "ProtoCreatedJob", poolInfo: { poolId: EMPTY_POOL } } });
    expect(response.status).toBe(201);
    expect(response.text).toBe("");
    const url = `${batchUrl}/jobs/ProtoCreatedJob`;
    expect(response.headers.get("dataserviceid")).toBe(url);
    expect(response.headers.get("location")).toBe(url);
    expect(response.headers.get("etag")).toBeTruthy();
    expect(response.headers.get("last-modified")).toBeTruthy();
    expect(response.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const job = await batch("/jobs/ProtoCreatedJob");
    expect(job.json.url).toBe(url);
    expect(job.headers.get("etag")).toBe(response.headers.get("etag"));
  });
});

describe("authentication", () => {
  it("refuses a request without Authorization", async () => {
    const body = expectError(await batch("/pools", { sign: false }), 403, "AuthenticationFailed");
    expect(detail(body, "AuthenticationErrorDetail")).toBeTruthy();
  });

  it("refuses a request signed with the wrong key, without revealing the key", async () => {
    const response = await batch("/pools", { key: WRONG_KEY });
    expectError(response, 403, "AuthenticationFailed");
    expect(response.text).not.toContain(bed.account.batchAccountKey);
  });

  it("refuses a request whose ocp-date is 20 minutes old", async () => {
    const stale = new Date(Date.now() - 20 * 60_000).toUTCString();
    expectError(await batch("/pools", { headers: { "ocp-date": stale } }), 403, "AuthenticationFailed");
    const recent = new Date(Date.now() - 60_000).toUTCString();
    expect((await batch("/pools", { headers: { "ocp-date": recent } })).status).toBe(200);
  });

  describe("with authentication off", () => {
    let open: TestBed;

    beforeAll(async () => {
      open = await TestBed.start({ server: { authentication: false } });
    });

    afterAll(async () => {
      await open?.close();
    });

    it("answers unsigned requests", async () => {
      const unsigned = signedFetcher(open.account);
      const created = await unsigned("/pools", {
        sign: false,
        json: { id: "OpenPool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: VM_CONFIG, targetDedicatedNodes: 0 },
      });
      expect(created.status, created.text).toBe(201);
      const list = await unsigned("/pools", { sign: false });
      expect(list.status).toBe(200);
      expect(list.json.value.map((pool: { id: string }) => pool.id)).toEqual(["OpenPool"]);
      expect((await unsigned("/pools/OpenPool", { sign: true })).status).toBe(200);
    });
  });
});

describe("bad input never takes the server down", () => {
  const pool = (extra: Record<string, unknown>) => ({
    id: "ProtoBadPool",
    vmSize: "standard_d2s_v3",
    virtualMachineConfiguration: VM_CONFIG,
    targetDedicatedNodes: 0,
    ...extra,
  });

  it("malformed JSON → 400 InvalidRequestBody", async () => {
    expectError(await batch("/pools", { body: '{"id": "ProtoBadPool", ' }), 400, "InvalidRequestBody");
    expectError(await batch("/jobs", { body: "[1, 2, 3]" }), 400, "InvalidRequestBody");
    await expectServerAlive();
  });

  it("an unknown property → 400", async () => {
    expectError(await batch("/jobs", { json: { id: "ProtoUnknownProp", poolInfo: { poolId: EMPTY_POOL }, noSuchProperty: 1 } }), 400);
    expect((await batch("/jobs/ProtoUnknownProp")).status).toBe(404);
    await expectServerAlive();
  });

  it("a known property Malachite does not emulate → 400 UnsupportedProperty", async () => {
    const body = expectError(
      await batch("/jobs", { json: { id: "ProtoPrepJob", poolInfo: { poolId: EMPTY_POOL }, networkConfiguration: { subnetId: "x" } } }),
      400,
      "UnsupportedProperty",
    );
    expect(detail(body, "PropertyName")).toBe("networkConfiguration");
    expect((await batch("/jobs/ProtoPrepJob")).status).toBe(404);
    await expectServerAlive();
  });

  it("missing id, vmSize or commandLine → 400 MissingRequiredProperty", async () => {
    const noId = expectError(await batch("/pools", { json: { vmSize: "standard_d2s_v3", targetDedicatedNodes: 0 } }), 400, "MissingRequiredProperty");
    expect(detail(noId, "PropertyName")).toBe("id");
    const noSize = expectError(await batch("/pools", { json: { id: "ProtoNoSize", targetDedicatedNodes: 0 } }), 400, "MissingRequiredProperty");
    expect(detail(noSize, "PropertyName")).toBe("vmSize");
    const noCommand = expectError(await batch(`/jobs/${RUN_JOB}/tasks`, { json: { id: "no-command" } }), 400, "MissingRequiredProperty");
    expect(detail(noCommand, "PropertyName")).toBe("commandLine");
    await expectServerAlive();
  });

  it("ids too long or with bad characters → 400 InvalidPropertyValue", async () => {
    const long = expectError(await batch("/pools", { json: pool({ id: "p".repeat(65) }) }), 400, "InvalidPropertyValue");
    expect(detail(long, "PropertyName")).toBe("id");
    expectError(await batch("/pools", { json: pool({ id: "bad id!" }) }), 400, "InvalidPropertyValue");
    expectError(await batch("/jobs", { json: { id: "job/with/slashes", poolInfo: { poolId: EMPTY_POOL } } }), 400, "InvalidPropertyValue");
    expectError(await batch(`/jobs/${RUN_JOB}/tasks`, { json: { id: "t".repeat(65), commandLine: "/bin/true" } }), 400, "InvalidPropertyValue");
    expect((await batch("/pools", { json: pool({ id: "p".repeat(64) }) })).status).toBe(201);
    await expectServerAlive();
  });

  it("101 tasks in one addtaskcollection → 400", async () => {
    await addJob("ProtoTooManyJob");
    const value = Array.from({ length: 101 }, (_, i) => ({ id: `t${i}`, commandLine: "/bin/true" }));
    expectError(await batch("/jobs/ProtoTooManyJob/addtaskcollection", { json: { value } }), 400);
    expect((await batch("/jobs/ProtoTooManyJob/tasks")).json.value).toEqual([]);
    await expectServerAlive();
  });

  it("a body over 1 MB → 413 RequestBodyTooLarge", async () => {
    const value = Array.from({ length: 100 }, (_, i) => ({ id: `big${i}`, commandLine: `/bin/echo ${"x".repeat(11_000)}` }));
    const body = JSON.stringify({ value });
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    expectError(await batch(`/jobs/${RUN_JOB}/addtaskcollection`, { body }), 413, "RequestBodyTooLarge");
    await expectServerAlive();
    // The same body sent chunked, without a Content-Length.
    const bytes = new TextEncoder().encode(body);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < bytes.length; offset += 64 * 1024) controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${batchUrl}/jobs/${RUN_JOB}/addtaskcollection?api-version=2024-07-01.20.0`, {
      method: "POST",
      headers: { "Content-Type": "application/json; odata=minimalmetadata" },
      body: chunked,
      duplex: "half",
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { code: string }).code).toBe("RequestBodyTooLarge");
    await expectServerAlive();
  });

  it("a duplicate pool → 409 PoolExists", async () => {
    expectError(await batch("/pools", { json: pool({ id: NODE_POOL }) }), 409, "PoolExists");
    expectError(await batch("/pools", { json: pool({ id: NODE_POOL.toLowerCase() }) }), 409, "PoolExists");
    await expectServerAlive();
  });

  it("duplicate ids in one collection → a per-task clienterror TaskExists", async () => {
    await addJob("ProtoDuplicateJob");
    const value = [
      { id: "twin", commandLine: "/bin/true" },
      { id: "twin", commandLine: "/bin/false" },
    ];
    const response = await batch("/jobs/ProtoDuplicateJob/addtaskcollection", { json: { value } });
    expect(response.status, response.text).toBe(200);
    const results = response.json.value as { status: string; taskId: string; error?: { code: string; message: { value: string } } }[];
    expect(results.map((r) => r.status).sort()).toEqual(["clienterror", "success"]);
    const failed = results.find((r) => r.status === "clienterror");
    expect(failed).toMatchObject({ taskId: "twin", error: { code: "TaskExists", message: { lang: "en-US" } } });
    expect((await batch("/jobs/ProtoDuplicateJob/tasks/twin")).json.commandLine).toBe("/bin/true");
  });

  it("adding a task to a terminated job → 409", async () => {
    await addJob("ProtoTerminatedJob");
    const terminate = await batch("/jobs/ProtoTerminatedJob/terminate", { method: "POST" });
    expect(terminate.status, terminate.text).toBe(202);
    await bed.waitFor(async () => (await batch("/jobs/ProtoTerminatedJob")).json.state === "completed", "the job to complete");
    expectError(await batch("/jobs/ProtoTerminatedJob/tasks", { json: { id: "late", commandLine: "/bin/true" } }), 409, "JobCompleted");
    expectError(
      await batch("/jobs/ProtoTerminatedJob/addtaskcollection", { json: { value: [{ id: "late", commandLine: "/bin/true" }] } }),
      409,
      "JobCompleted",
    );
    await expectServerAlive();
  });

  it("terminating a completed task → 409 TaskCompleted", async () => {
    await addJob("ProtoTerminateTwiceJob");
    expect((await batch("/jobs/ProtoTerminateTwiceJob/tasks", { json: { id: "waiting", commandLine: "/bin/true" } })).status).toBe(201);
    const first = await batch("/jobs/ProtoTerminateTwiceJob/tasks/waiting/terminate", { method: "POST" });
    expect(first.status, first.text).toBe(204);
    const task = await completed("ProtoTerminateTwiceJob", "waiting");
    expect(task.executionInfo).toMatchObject({ result: "failure", failureInfo: { code: "TaskEnded" } });
    expectError(await batch("/jobs/ProtoTerminateTwiceJob/tasks/waiting/terminate", { method: "POST" }), 409, "TaskCompleted");
    await expectServerAlive();
  });

  it("deleting a job being deleted → 409 JobBeingDeleted, a deleted one → 404 JobNotFound", async () => {
    const work = bed.runtime.hold("work");
    await addJob("ProtoDeletedJob", NODE_POOL);
    expect((await batch("/jobs/ProtoDeletedJob/tasks", { json: { id: "running", commandLine: "work" } })).status).toBe(201);
    await work.started("running");
    const kills = bed.runtime.holdKills(); // the task takes its time to die: the job stays "deleting"
    expect((await batch("/jobs/ProtoDeletedJob", { method: "DELETE" })).status).toBe(202);
    expectError(await batch("/jobs/ProtoDeletedJob", { method: "DELETE" }), 409, "JobBeingDeleted");
    kills.open();
    await bed.waitFor(async () => (await batch("/jobs/ProtoDeletedJob")).status === 404, "the job to go");
    expectError(await batch("/jobs/ProtoDeletedJob", { method: "DELETE" }), 404, "JobNotFound");
    await expectServerAlive();
  });

  it("an unknown path → 404, a wrong verb → 405", async () => {
    expectError(await batch("/nosuchresource"), 404);
    expectError(await batch(`/pools/${NODE_POOL}/nosuchaction`, { method: "POST" }), 404);
    expectError(await batch("/pools", { method: "DELETE" }), 405);
    expectError(await batch(`/jobs/${RUN_JOB}/tasks`, { method: "PUT", json: {} }), 405);
    await expectServerAlive();
  });
});

describe("task files", () => {
  const content = "hello world from a task file\n";

  beforeAll(async () => {
    const created = await batch(`/jobs/${RUN_JOB}/tasks`, {
      json: { id: "writer", commandLine: `/bin/bash -c 'printf "${content.replace("\n", "\\n")}" > x.txt'` },
    });
    expect(created.status, created.text).toBe(201);
    const done = await completed(RUN_JOB, "writer");
    expect(done.executionInfo).toMatchObject({ exitCode: 0, result: "success" });
  });

  it("resolves a file path with %2F like one with /", async () => {
    const plain = await batch(`/jobs/${RUN_JOB}/tasks/writer/files/wd/x.txt`);
    expect(plain.status, plain.text).toBe(200);
    expect(plain.text).toBe(content);
    const encoded = await batch(`/jobs/${RUN_JOB}/tasks/writer/files/wd%2Fx.txt`);
    expect(encoded.status, encoded.text).toBe(200);
    expect(encoded.text).toBe(content);
    expect(encoded.headers.get("content-type")).toBe("application/octet-stream");
    expect(encoded.headers.get("ocp-batch-file-isdirectory")).toBe("false");
    const head = await batch(`/jobs/${RUN_JOB}/tasks/writer/files/wd%2Fx.txt`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(content)));
    expectError(await batch(`/jobs/${RUN_JOB}/tasks/writer/files/wd%2Fnone.txt`), 404, "FileNotFound");
  });

  it("returns the first 5 bytes for ocp-range: bytes=0-4", async () => {
    const range = await batch(`/jobs/${RUN_JOB}/tasks/writer/files/wd%2Fx.txt`, { headers: { "ocp-range": "bytes=0-4" } });
    expect(range.status).toBe(200);
    expect(range.text).toBe("hello");
    expect(range.headers.get("content-length")).toBe("5");
  });
});
