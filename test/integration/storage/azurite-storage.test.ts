import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzuriteProcess, AZURITE_ACCOUNT_KEY } from "../../../src/backends/local/azurite/azurite-process.js";
import { BatchError, isBatchError } from "../../../src/core/batch-error.js";
import { mapStorageError } from "../../../src/storage/map-storage-error.js";
import { SharedKeyBlobStorage } from "../../../src/storage/shared-key-blob-storage.js";
import { isProcessAlive } from "../../../src/backends/local/process-alive.js";

/** Alive and not a zombie (an orphan that exited waits for PID 1 to reap it). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== "linux") return true;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isRunning(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !(await isRunning(pid));
}

/**
 * Runs a TypeScript script in a separate Node process (through vite-node) that starts Azurite,
 * prints its pid and then does what `mode` says; resolves with both pids once Azurite runs.
 */
async function startAzuriteInOtherProcess(mode: "exit" | "hang"): Promise<{ parent: ChildProcess; azuritePid: number }> {
  const script = path.join(tempRoot, `orphan-${mode}.ts`);
  const modulePath = path.resolve(import.meta.dirname, "../../../src/backends/local/azurite/azurite-process.ts");
  await writeFile(
    script,
    [
      `import { AzuriteProcess } from ${JSON.stringify(modulePath)};`,
      `const azurite = await AzuriteProcess.start();`,
      `process.stdout.write(JSON.stringify({ pid: azurite.pid }) + "\\n");`,
      mode === "exit" ? `setTimeout(() => process.exit(0), 200);` : `setInterval(() => {}, 1000);`,
    ].join("\n"),
  );
  const require = createRequire(import.meta.url);
  const viteNode = path.join(path.dirname(require.resolve("vite-node/package.json")), "vite-node.mjs");
  const parent = spawn(process.execPath, [viteNode, "--root", path.resolve(import.meta.dirname, "../../.."), script], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  parent.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const azuritePid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pid within 60 s; stderr: ${stderr}`)), 60_000);
    parent.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /\{"pid":(\d+)\}/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    parent.once("exit", (code) => {
      if (!/\{"pid":(\d+)\}/.test(stdout)) {
        clearTimeout(timer);
        reject(new Error(`the script exited with ${code}; stderr: ${stderr}`));
      }
    });
  });
  return { parent, azuritePid };
}

/** Resolves true when a server can bind the port (i.e. nobody holds it). */
function canListen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function expectBatchError(promise: Promise<unknown>, statusCode: number, code: string): Promise<BatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchError);
  const batchError = error as BatchError;
  expect({ statusCode: batchError.statusCode, code: batchError.code }).toEqual({ statusCode, code });
  return batchError;
}

const inOneHour = () => new Date(Date.now() + 60 * 60_000);
let tempRoot: string;

beforeAll(async () => {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), "malachite-azurite-test-"));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

describe("AzuriteProcess", () => {
  it("starts on a free port, answers, and stops releasing the port and the process", async () => {
    const azurite = await AzuriteProcess.start();
    const { pid, port } = azurite;
    try {
      expect(port).toBeGreaterThan(0);
      expect(azurite.accountName).toBe("devstoreaccount1");
      expect(azurite.accountKey).toBe(AZURITE_ACCOUNT_KEY);
      expect(azurite.blobEndpoint).toBe(`http://127.0.0.1:${port}/devstoreaccount1`);
      expect(azurite.connectionString).toBe(
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};` +
          `BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
      );
      expect(isProcessAlive(pid)).toBe(true);
      expect(await canListen(port)).toBe(false);
      // The parent-exit hook is installed while the child runs.
      expect(process.listeners("exit").length).toBeGreaterThan(0);
      // Anonymous requests reach the service and are refused (private account).
      const response = await fetch(`${azurite.blobEndpoint}?comp=list`);
      expect(response.status).toBe(403);
      // The key stays out of inspection output.
      expect(inspect(azurite, { depth: 5, showHidden: true })).not.toContain(AZURITE_ACCOUNT_KEY);
      console.info(`Azurite start took ${azurite.startDurationMs} ms`);
    } finally {
      await azurite.stop();
    }
    expect(azurite.exited).toBe(true);
    expect(isProcessAlive(pid)).toBe(false);
    expect(await canListen(port)).toBe(true);
  });

  it("stop() is idempotent, also when called twice at once", async () => {
    const exitListenersBefore = process.listeners("exit").length;
    const azurite = await AzuriteProcess.start();
    expect(process.listeners("exit").length).toBe(exitListenersBefore + 1);
    const first = azurite.stop();
    const second = azurite.stop();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await azurite.stop();
    expect(isProcessAlive(azurite.pid)).toBe(false);
    expect(process.listeners("exit").length).toBe(exitListenersBefore);
  });

  it("kills the child when the parent exits without stop()", async () => {
    const { parent, azuritePid } = await startAzuriteInOtherProcess("exit");
    expect(await isRunning(azuritePid)).toBe(true);
    await new Promise((resolve) => (parent.exitCode !== null ? resolve(undefined) : parent.once("exit", resolve)));
    expect(await waitUntilGone(azuritePid, 5_000)).toBe(true);
  });

  it("the child shuts itself down when the parent is SIGKILLed", async () => {
    const { parent, azuritePid } = await startAzuriteInOtherProcess("hang");
    expect(await isRunning(azuritePid)).toBe(true);
    parent.kill("SIGKILL");
    expect(await waitUntilGone(azuritePid, 10_000)).toBe(true);
  });

  it("runs two instances side by side with separate data", async () => {
    const [a, b] = await Promise.all([AzuriteProcess.start(), AzuriteProcess.start()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.pid).not.toBe(b.pid);
      const storageA = new SharedKeyBlobStorage(a);
      const storageB = new SharedKeyBlobStorage(b);
      expect(await storageA.createContainer("side-by-side")).toBe(true);
      await storageA.uploadData("side-by-side", "only-in-a.txt", "a");
      expect(await storageB.createContainer("side-by-side")).toBe(true);
      expect(await storageB.listBlobs("side-by-side")).toEqual([]);
      expect((await storageA.listBlobs("side-by-side")).map((blob) => blob.name)).toEqual(["only-in-a.txt"]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(isProcessAlive(a.pid)).toBe(false);
    expect(isProcessAlive(b.pid)).toBe(false);
  });

  it("persists blobs across a restart in data directory mode", async () => {
    const dataDir = path.join(tempRoot, "data", "nested");
    const first = await AzuriteProcess.start({ dataDir });
    try {
      expect(first.dataDir).toBe(dataDir);
      const storage = new SharedKeyBlobStorage(first);
      await storage.createContainer("persisted");
      await storage.uploadData("persisted", "dir/blob.txt", "survives a restart");
    } finally {
      await first.stop();
    }
    const second = await AzuriteProcess.start({ dataDir });
    try {
      const storage = new SharedKeyBlobStorage(second);
      expect((await storage.downloadToBuffer("persisted", "dir/blob.txt")).toString("utf8")).toBe("survives a restart");
    } finally {
      await second.stop();
    }
  });

  it("fails with a clear message naming the port when a fixed port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(AzuriteProcess.start({ port })).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*already in use`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("starts on a fixed port when it is free", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const azurite = await AzuriteProcess.start({ port });
    try {
      expect(azurite.port).toBe(port);
      expect(azurite.blobEndpoint).toBe(`http://127.0.0.1:${port}/devstoreaccount1`);
    } finally {
      await azurite.stop();
    }
  });
});

describe("SharedKeyBlobStorage against Azurite", () => {
  let azurite: AzuriteProcess;
  let storage: SharedKeyBlobStorage;

  beforeAll(async () => {
    azurite = await AzuriteProcess.start();
    storage = new SharedKeyBlobStorage({
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
      blobEndpoint: `${azurite.blobEndpoint}/`,
    });
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  it("exposes the account and the endpoint without trailing slash", () => {
    expect(storage.accountName).toBe("devstoreaccount1");
    expect(storage.blobEndpoint).toBe(azurite.blobEndpoint);
    expect(inspect(storage, { depth: 10, showHidden: true })).not.toContain(AZURITE_ACCOUNT_KEY);
  });

  it("creates, uploads, lists, downloads and deletes", async () => {
    expect(await storage.createContainer("input")).toBe(true);
    expect(await storage.createContainer("input")).toBe(false);

    const source = path.join(tempRoot, "taskdata0.txt");
    await writeFile(source, "line one\nline two\n");
    await storage.uploadFile("input", "taskdata0.txt", source);
    await storage.uploadData("input", "sub/a.bin", Buffer.from([0, 1, 2, 3]));
    await storage.uploadData("input", "sub/b.txt", "héllo");

    const all = await storage.listBlobs("input");
    expect(all.map((blob) => blob.name).sort()).toEqual(["sub/a.bin", "sub/b.txt", "taskdata0.txt"]);
    expect(all.find((blob) => blob.name === "taskdata0.txt")?.contentLength).toBe(18);
    expect(all.find((blob) => blob.name === "sub/b.txt")?.contentLength).toBe(Buffer.byteLength("héllo"));
    expect((await storage.listBlobs("input", "sub/")).map((blob) => blob.name).sort()).toEqual(["sub/a.bin", "sub/b.txt"]);
    expect(await storage.listBlobs("input", "nothing-here")).toEqual([]);

    const target = path.join(tempRoot, "downloads", "deep", "taskdata0.txt");
    await storage.downloadToFile("input", "taskdata0.txt", target);
    expect(await readFile(target, "utf8")).toBe("line one\nline two\n");
    expect(await storage.downloadToBuffer("input", "sub/a.bin")).toEqual(Buffer.from([0, 1, 2, 3]));
    expect((await storage.downloadToBuffer("input", "sub/b.txt")).toString("utf8")).toBe("héllo");

    expect(await storage.deleteContainer("input")).toBe(true);
    expect(await storage.deleteContainer("input")).toBe(false);
    await expectBatchError(storage.listBlobs("input"), 404, "ContainerNotFound");
  });

  it("lists every page", async () => {
    await storage.createContainer("many");
    const names = Array.from({ length: 57 }, (_, i) => `p/b${String(i).padStart(3, "0")}`);
    await Promise.all(names.map((name) => storage.uploadData("many", name, name)));
    await storage.uploadData("many", "other", "x");
    const smallPages = SharedKeyBlobStorage.fromConnectionString(azurite.connectionString, { listPageSize: 10 });
    const listed = await smallPages.listBlobs("many", "p/");
    expect(listed.map((blob) => blob.name)).toEqual(names);
    expect(listed.every((blob) => blob.contentLength === 6)).toBe(true);
    expect(await smallPages.listBlobs("many")).toHaveLength(58);
    await storage.deleteContainer("many");
  });

  it("maps a missing blob and a missing container to BatchErrors", async () => {
    await storage.createContainer("missing-things");
    const blobError = await expectBatchError(storage.downloadToBuffer("missing-things", "nope.txt"), 404, "BlobNotFound");
    expect(blobError.message).toContain("missing-things/nope.txt");
    expect(isBatchError(blobError, "BlobNotFound")).toBe(true);
    await expectBatchError(storage.downloadToFile("missing-things", "nope.txt", path.join(tempRoot, "x", "nope.txt")), 404, "BlobNotFound");
    await expectBatchError(storage.downloadToBuffer("no-such-container", "nope.txt"), 404, "ContainerNotFound");
    await expectBatchError(storage.uploadData("no-such-container", "x.txt", "x"), 404, "ContainerNotFound");
    await expectBatchError(storage.uploadFile("missing-things", "x.txt", path.join(tempRoot, "no-such-file")), 404, "FileNotFound");
  });

  it("a blob SAS with 'r' reads with plain fetch but cannot write", async () => {
    await storage.createContainer("sas-read");
    await storage.uploadData("sas-read", "dir/file name.txt", "readable");
    const url = storage.blobSasUrl("sas-read", "dir/file name.txt", "r", inOneHour());
    expect(url.startsWith(`${azurite.blobEndpoint}/sas-read/dir/file%20name.txt?`)).toBe(true);
    expect(new URL(url).searchParams.get("spr")).toBe("https,http");
    expect(new URL(url).searchParams.get("sp")).toBe("r");

    const read = await fetch(url);
    expect(read.status).toBe(200);
    expect(await read.text()).toBe("readable");

    const write = await fetch(url, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "overwritten" });
    await write.arrayBuffer();
    expect(write.status).toBe(403);
    expect((await storage.downloadToBuffer("sas-read", "dir/file name.txt")).toString()).toBe("readable");
  });

  it("a container SAS with 'w' lets a plain PUT create a blob but cannot list", async () => {
    await storage.createContainer("sas-write");
    const containerUrl = storage.containerSasUrl("sas-write", "w", inOneHour());
    const [base, query] = containerUrl.split("?");
    expect(base).toBe(`${azurite.blobEndpoint}/sas-write`);

    const put = await fetch(`${base}/out/result.txt?${query}`, {
      method: "PUT",
      headers: { "x-ms-blob-type": "BlockBlob", "content-type": "text/plain" },
      body: "written through SAS",
    });
    await put.arrayBuffer();
    expect(put.status).toBe(201);
    expect((await storage.downloadToBuffer("sas-write", "out/result.txt")).toString()).toBe("written through SAS");

    const list = await fetch(`${base}?restype=container&comp=list&${query}`);
    await list.arrayBuffer();
    expect(list.status).toBe(403);

    const read = await fetch(`${base}/out/result.txt?${query}`);
    await read.arrayBuffer();
    expect(read.status).toBe(403);

    // With 'rl' listing works.
    const listing = await fetch(`${storage.containerSasUrl("sas-write", "rl", inOneHour())}&restype=container&comp=list`);
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain("<Name>out/result.txt</Name>");
  });

  it("an expired SAS is refused with 403", async () => {
    await storage.createContainer("sas-expired");
    await storage.uploadData("sas-expired", "old.txt", "stale");
    const expired = storage.blobSasUrl("sas-expired", "old.txt", "r", new Date(Date.now() - 60_000));
    const response = await fetch(expired);
    await response.arrayBuffer();
    expect(response.status).toBe(403);

    const expiredContainer = storage.containerSasUrl("sas-expired", "w", new Date(Date.now() - 60_000));
    const [base, query] = expiredContainer.split("?");
    const put = await fetch(`${base}/new.txt?${query}`, { method: "PUT", headers: { "x-ms-blob-type": "BlockBlob" }, body: "x" });
    await put.arrayBuffer();
    expect(put.status).toBe(403);
  });

  it("rejects malformed SAS permissions with a BatchError", () => {
    expect(() => storage.blobSasUrl("c", "b", "rz", inOneHour())).toThrow(BatchError);
    expect(() => storage.containerSasUrl("c", "q", inOneHour())).toThrow(BatchError);
  });

  it("a wrong key is refused with a 403 BatchError", async () => {
    const wrong = new SharedKeyBlobStorage({
      accountName: azurite.accountName,
      accountKey: Buffer.alloc(64, 7).toString("base64"),
      blobEndpoint: azurite.blobEndpoint,
    });
    const error = await wrong.createContainer("never").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchError);
    expect((error as BatchError).statusCode).toBe(403);
    expect((error as BatchError).code).toMatch(/^Authori[sz]ation|^AuthenticationFailed$/);
  });

  it("fromConnectionString round-trips the Azurite connection string", async () => {
    const fromCs = SharedKeyBlobStorage.fromConnectionString(azurite.connectionString);
    expect(fromCs.accountName).toBe(azurite.accountName);
    expect(fromCs.blobEndpoint).toBe(azurite.blobEndpoint);
    await fromCs.createContainer("via-cs");
    await fromCs.uploadData("via-cs", "x.txt", "from connection string");
    expect((await storage.downloadToBuffer("via-cs", "x.txt")).toString()).toBe("from connection string");
  });

  it("fromConnectionString builds Azure endpoints from the protocol and suffix", () => {
    const key = Buffer.alloc(64, 1).toString("base64");
    const azure = SharedKeyBlobStorage.fromConnectionString(
      `DefaultEndpointsProtocol=https;AccountName=mystorage;AccountKey=${key};EndpointSuffix=core.windows.net`,
    );
    expect(azure.accountName).toBe("mystorage");
    expect(azure.blobEndpoint).toBe("https://mystorage.blob.core.windows.net");
    const sovereign = SharedKeyBlobStorage.fromConnectionString(
      `AccountName=other;AccountKey=${key};DefaultEndpointsProtocol=https;EndpointSuffix=core.chinacloudapi.cn`,
    );
    expect(sovereign.blobEndpoint).toBe("https://other.blob.core.chinacloudapi.cn");
    const defaults = SharedKeyBlobStorage.fromConnectionString(`AccountName=plain;AccountKey=${key}`);
    expect(defaults.blobEndpoint).toBe("https://plain.blob.core.windows.net");
    const sas = azure.blobSasUrl("input", "a.txt", "r", inOneHour());
    expect(sas.startsWith("https://mystorage.blob.core.windows.net/input/a.txt?")).toBe(true);
    expect(() => SharedKeyBlobStorage.fromConnectionString("AccountName=x")).toThrow(BatchError);
  });

  it("messages of mapped errors carry no SAS signature or key", () => {
    const sasUrl = storage.blobSasUrl("c1c", "b", "r", inOneHour());
    const signature = new URL(sasUrl).searchParams.get("sig")!;
    const mapped = mapStorageError(
      Object.assign(new Error(`request to ${sasUrl} failed; AccountKey=${AZURITE_ACCOUNT_KEY}`), { name: "RestError", statusCode: 403 }),
    );
    expect(mapped.statusCode).toBe(403);
    expect(mapped.message).not.toContain(signature);
    expect(mapped.message).not.toContain(AZURITE_ACCOUNT_KEY);
  });
});

describe("SharedKeyBlobStorage without a service", () => {
  it("maps connection refused to 503 ServerBusy", async () => {
    const azurite = await AzuriteProcess.start();
    await azurite.stop();
    const storage = new SharedKeyBlobStorage({
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
      blobEndpoint: azurite.blobEndpoint,
      retryOptions: { maxTries: 1 },
    });
    const error = await expectBatchError(storage.createContainer("unreachable"), 503, "ServerBusy");
    expect(error.message).toContain("Blob storage");
  });
});
