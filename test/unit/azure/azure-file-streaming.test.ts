/**
 * File content through `@azure/batch` is streamed (finding 6 of issue 8): a range is asked of the
 * service as `ocp-range`, and the response body is handed over unread, with its length.
 */
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { HttpHeaders, type HttpOperationResponse, type WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import { AzureFileOperations } from "../../../src/backends/azure/azure-file-operations.js";

const ACCOUNT_URL = "https://acct.region.batch.azure.com";
const KEY = Buffer.alloc(64, 5).toString("base64");
const FILE = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz");

/** A body that counts how many of its chunks were pulled: none until it is read. */
function countedBody(bytes: Buffer): { body: Readable; pulled: () => number } {
  let pulled = 0;
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += 4) {
      pulled++;
      yield bytes.subarray(at, at + 4);
      await Promise.resolve();
    }
  }
  return { body: Readable.from(chunks()), pulled: () => pulled };
}

/** Answers file GETs with the bytes `ocp-range` asks for (all without it), as the service does; records the requests. */
function fileService(): { files: AzureFileOperations; requests: WebResourceLike[]; pulled: () => number } {
  const requests: WebResourceLike[] = [];
  let pulled = () => 0;
  const httpClient = {
    sendRequest(request: WebResourceLike): Promise<HttpOperationResponse> {
      requests.push(request);
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get("ocp-range") ?? "");
      const bytes = range ? FILE.subarray(Number(range[1]), Number(range[2]) + 1) : FILE;
      const counted = countedBody(bytes);
      pulled = counted.pulled;
      const headers = new HttpHeaders({ "request-id": "00000000-0000-0000-0000-000000000001", "content-length": String(bytes.length) });
      return Promise.resolve({ request, status: 200, headers, readableStreamBody: counted.body });
    },
  };
  const client = new BatchServiceClient(new BatchSharedKeyCredentials("acct", KEY), ACCOUNT_URL, { noRetryPolicy: true, httpClient });
  return { files: new AzureFileOperations(client), requests, pulled: () => pulled() };
}

describe("AzureFileOperations streams file content", () => {
  it("asks the service for a range as ocp-range and hands the body over unread, with its length", async () => {
    const { files, requests, pulled } = fileService();
    const content = await files.openFromTask("job1", "t1", "wd/big.bin", { start: 5, end: 14 });
    expect(requests[0]?.headers.get("ocp-range")).toBe("bytes=5-14");
    expect(new URL(requests[0]?.url ?? "").pathname).toMatch(/^\/jobs\/job1\/tasks\/t1\/files\/wd(%2F|\/)big\.bin$/);
    expect(content.length).toBe(10);
    expect(pulled()).toBe(0);
    expect((await buffer(content.stream)).toString()).toBe("56789abcde");
  });

  it("does the same for node files, and sends no range for the whole file", async () => {
    const { files, requests } = fileService();
    const ranged = await files.openFromComputeNode("p", "n", "startup/stdout.txt", { start: 30, end: 35 });
    expect(requests[0]?.headers.get("ocp-range")).toBe("bytes=30-35");
    expect([ranged.length, (await buffer(ranged.stream)).toString()]).toEqual([6, "uvwxyz"]);
    const whole = await files.openFromComputeNode("p", "n", "startup/stdout.txt");
    expect(requests[1]?.headers.get("ocp-range")).toBeUndefined();
    expect([whole.length, (await buffer(whole.stream)).equals(FILE)]).toEqual([FILE.length, true]);
  });

  it("still reads a whole file into a Buffer with getFrom*", async () => {
    const { files } = fileService();
    expect((await files.getFromTask("job1", "t1", "stdout.txt")).equals(FILE)).toBe(true);
    expect((await files.getFromComputeNode("p", "n", "startup/stdout.txt")).equals(FILE)).toBe(true);
  });
});
