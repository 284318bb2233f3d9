/**
 * Batch operations Malachite does not emulate yet answer 400 `UnsupportedOperation` naming the
 * operation, not a 404 that clients read as "does not exist" nor a 405 that says the resource
 * lacks the verb. Paths that are no Batch operation keep their 404 and 405.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies are untyped JSON here, read as the wire carries them. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNSERVED_OPERATIONS, findUnservedOperation, type UnservedOperation } from "../../../src/server/protocol/unserved-operations.js";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let batch: BatchFetch;

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  batch = signedFetcher(bed.account);
});

afterAll(async () => {
  await bed?.close();
});

/** A concrete request path for an operation's template. */
function concretePath(operation: UnservedOperation): string {
  return operation.path
    .replace("{*filePath}", "wd/out.txt")
    .replace("{thumbprintAlgorithm}", "sha1")
    .replace("{thumbprint}", "0123456789abcdef")
    .replace(/\{(\w+)\}/g, (_, name: string) => `some-${name.toLowerCase()}`);
}

const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

describe("the table of unserved operations", () => {
  it("has each operation once, and each method and path once", () => {
    expect(UNSERVED_OPERATIONS).toHaveLength(7);
    expect(new Set(UNSERVED_OPERATIONS.map((o) => o.operationId)).size).toBe(UNSERVED_OPERATIONS.length);
    expect(new Set(UNSERVED_OPERATIONS.map((o) => o.swaggerOperationId)).size).toBe(UNSERVED_OPERATIONS.length);
    expect(new Set(UNSERVED_OPERATIONS.map((o) => `${o.method} ${o.path.toLowerCase()}`)).size).toBe(UNSERVED_OPERATIONS.length);
  });

  it("matches certificate paths, with the parentheses percent-encoded or not", () => {
    const get = (path: string) => findUnservedOperation("GET", path.split("/").filter(Boolean))?.operationId;
    expect(get("/certificates(thumbprintAlgorithm=sha1,thumbprint=abc)")).toBe("Certificates_GetCertificate");
    expect(get("/Certificates%28thumbprintAlgorithm%3Dsha1%2Cthumbprint%3Dabc%29")).toBe("Certificates_GetCertificate");
    expect(get("/certificates(thumbprint=abc)")).toBeUndefined();
  });
});

describe("a request for an unserved operation", () => {
  it.each(UNSERVED_OPERATIONS.map((operation) => [`${operation.operationId}: ${operation.method} ${operation.path}`, operation] as const))(
    "%s answers 400 UnsupportedOperation naming it",
    async (_, operation) => {
      const response = await batch(concretePath(operation), { method: operation.method, ...(WITH_BODY.has(operation.method) ? { json: {} } : {}) });
      const context = `${response.status} ${response.text}`;
      expect(response.status, context).toBe(400);
      if (operation.method === "HEAD") {
        expect(response.text).toBe("");
        return;
      }
      expect(response.json.code, context).toBe("UnsupportedOperation");
      expect(response.json.message.value, context).toContain(`Malachite does not emulate the Batch operation ${operation.operationId}`);
      expect(response.json.message.value, context).toContain(operation.swaggerOperationId);
      expect(response.json.values, context).toContainEqual({ key: "OperationId", value: operation.operationId });
    },
  );

  it("rejects in @azure/batch instead of reading 'does not exist': certificate.get is no CertificateNotFound", async () => {
    const client = await bed.client();
    await expect(client.certificate.get("sha1", "abc")).rejects.toMatchObject({
      statusCode: 400,
      code: "UnsupportedOperation",
      message: { value: expect.stringContaining("Certificates_GetCertificate (Certificate_Get)") as unknown },
    });
    await expect(client.certificate.get("sha1", "abc")).rejects.toMatchObject({ statusCode: 400, code: "UnsupportedOperation" });
  });
});

describe("requests that are no unserved operation", () => {
  it("an unknown path still answers 404 ResourceNotFound", async () => {
    for (const path of ["/nothing", "/pools/p/nothing", "/jobschedules/s/nothing", "/certificates(thumbprint=abc)"]) {
      const response = await batch(path);
      expect(response.status, path).toBe(404);
      expect(response.json.code, path).toBe("ResourceNotFound");
    }
  });

  it("a verb no Batch operation has for a resource still answers 405", async () => {
    const response = await batch("/pools/p", { method: "PUT", json: {} });
    expect(response.status).toBe(405);
    expect(response.json.code).toBe("UnsupportedHttpVerb");
  });

  it("served operations are unaffected, and a missing entity is still its 404", async () => {
    const client = await bed.client();
    expect((await client.pool.exists("no-such-pool")).body).toBe(false);
    await expect(client.job.get("no-such-job")).rejects.toMatchObject({ statusCode: 404, code: "JobNotFound" });
    const pools = await batch("/pools");
    expect(pools.status).toBe(200);
    expect(pools.json.value).toEqual([]);
    const nodes = await batch("/pools/no-such-pool/nodes/n");
    expect(nodes.status).toBe(404);
    expect(nodes.json.code).toMatch(/NotFound$/);
  });
});
