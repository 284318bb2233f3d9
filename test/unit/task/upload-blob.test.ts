import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blobUrl, uploadBlob } from "../../../task/upload-blob.js";
import { waitFor } from "../../support/settle.js";
import { startRecordingBlobServer, type RecordingBlobServer } from "./recording-blob-server.js";

const SAS = "se=2030-01-01T00%3A00%3A00Z&sp=w&sv=2021-08-06&sr=c&sig=SECRETSIGNATURE%3D";
let server: RecordingBlobServer;
let dir: string;
let file: string;

beforeAll(async () => {
  server = await startRecordingBlobServer();
  dir = await mkdtemp(join(tmpdir(), "upload-blob-"));
  file = join(dir, "taskdata1_OUTPUT.txt");
  await writeFile(file, "Word\tCount\n\uFEFFBatch:\t1\n");
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  server.reply = { status: 201 };
});

function target(blobEndpoint = `${server.origin}/devstoreaccount1`) {
  return { blobEndpoint, container: "output", sasToken: SAS };
}

describe("blobUrl", () => {
  it("joins endpoint, container, encoded blob name and SAS", () => {
    const t = { blobEndpoint: "https://acct.blob.core.windows.net", container: "output", sasToken: "sp=w&sig=x" };
    expect(blobUrl(t, "taskdata1_OUTPUT.txt")).toBe("https://acct.blob.core.windows.net/output/taskdata1_OUTPUT.txt?sp=w&sig=x");
    expect(blobUrl(t, "sub dir/a#b?.txt")).toBe("https://acct.blob.core.windows.net/output/sub%20dir/a%23b%3F.txt?sp=w&sig=x");
    expect(blobUrl({ ...t, sasToken: "" }, "x")).toBe("https://acct.blob.core.windows.net/output/x");
  });
});

describe("uploadBlob", () => {
  it("PUTs the file as a block blob with the SAS", async () => {
    await uploadBlob(target(), "taskdata1_OUTPUT.txt", file);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("PUT");
    expect(request!.url).toBe(`/devstoreaccount1/output/taskdata1_OUTPUT.txt?${SAS}`);
    expect(request!.headers["x-ms-blob-type"]).toBe("BlockBlob");
    expect(request!.headers["x-ms-version"]).toBe("2021-08-06");
    expect(request!.headers["content-type"]).toBe("application/octet-stream");
    const body = Buffer.from("Word\tCount\n\uFEFFBatch:\t1\n");
    expect(request!.headers["content-length"]).toBe(String(body.byteLength));
    expect(request!.body.equals(body)).toBe(true);
  });

  it("reports the status and the service's error code, never the SAS", async () => {
    server.reply = { status: 403, headers: { "x-ms-error-code": "AuthenticationFailed" }, body: "<Error/>" };
    const error = (await uploadBlob(target(), "taskdata1_OUTPUT.txt", file).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/taskdata1_OUTPUT\.txt.*\[output\].*HTTP 403 .*\(AuthenticationFailed\)/);
    expect(error.message).not.toContain("SECRETSIGNATURE");
  });

  it("reports a connection failure without the SAS", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const error = (await uploadBlob(target(`http://127.0.0.1:${port}/acct`), "x.txt", file).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/upload of blob x\.txt to container \[output\] failed: .*ECONNREFUSED/);
    expect(error.message).not.toContain("SECRETSIGNATURE");
  });

  it("leaves no connection open once the upload is done, even to a server that would keep it alive", async () => {
    const sockets = new Set<Socket>();
    const keepingAlive = createHttpServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(201).end());
    });
    keepingAlive.keepAliveTimeout = 60_000;
    keepingAlive.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => keepingAlive.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = keepingAlive.address() as AddressInfo;
      await uploadBlob(target(`http://127.0.0.1:${port}/acct`), "x.txt", file);
      // Nothing left for the task's process to wait on: it exits as soon as its upload is done.
      await waitFor(() => sockets.size === 0, { what: "the upload's connection to close" });
    } finally {
      keepingAlive.closeAllConnections();
      await new Promise((resolve) => keepingAlive.close(resolve));
    }
  });
});
