import { createServer } from "node:net";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { HttpHeaders, RestError, type HttpOperationResponse, type WebResourceLike } from "@azure/ms-rest-js";
import { describe, expect, it } from "vitest";
import { callService, toBatchError } from "../../../src/backends/azure/rest-error-mapping.js";
import { BatchError } from "../../../src/core/batch-error.js";

const KEY = Buffer.alloc(64, 3).toString("base64");

/** A RestError as ms-rest-js raises it for an answer with the service's flat error body. */
function serviceError(status: number, body: Record<string, unknown>): RestError {
  const error = new RestError(JSON.stringify(body));
  error.statusCode = status;
  error.code = body.code as string;
  error.body = body;
  return error;
}

/** A client whose HTTP layer answers every request with `answer` (no network). */
function clientAnswering(answer: (request: WebResourceLike) => Partial<HttpOperationResponse>): BatchServiceClient {
  return new BatchServiceClient(new BatchSharedKeyCredentials("acct", KEY), "https://acct.region.batch.azure.com", {
    noRetryPolicy: true,
    httpClient: {
      sendRequest: async (request) => ({ request, status: 200, headers: new HttpHeaders(), ...answer(request) }),
    },
  });
}

describe("toBatchError", () => {
  it("keeps the service's code, status, message and values of a Batch error body", () => {
    const error = toBatchError(
      serviceError(400, {
        code: "InvalidPropertyValue",
        message: {
          lang: "en-US",
          value: "The value provided for one of the properties in the request body is invalid.\nRequestId:abc\nTime:2024-01-01T00:00:00.0000000Z",
        },
        values: [
          { key: "PropertyName", value: "id" },
          { key: "PropertyValue", value: "bad id!" },
        ],
      }),
    );
    expect(error).toBeInstanceOf(BatchError);
    expect([error.statusCode, error.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(error.message).toBe("The value provided for one of the properties in the request body is invalid.");
    expect(error.values).toEqual([
      { key: "PropertyName", value: "id" },
      { key: "PropertyValue", value: "bad id!" },
    ]);
  });

  it("reads the raw body when the SDK did not deserialize it", () => {
    const error = new RestError("Unexpected status code: 404");
    error.statusCode = 404;
    // ms-rest-js strips the response of an error to its text, headers and status.
    const body = JSON.stringify({ code: "PoolNotFound", message: { lang: "en-US", value: "The specified pool does not exist." } });
    error.response = { body, headers: new HttpHeaders(), status: 404 } as never;
    expect([toBatchError(error).code, toBatchError(error).message]).toEqual(["PoolNotFound", "The specified pool does not exist."]);
  });

  it("gives a status without a body (HEAD, downloads) a code of its own and says what failed", () => {
    const error = new RestError("Unexpected status code: 404");
    error.statusCode = 404;
    const mapped = toBatchError(error, "Reading 'stdout.txt' of task 't'");
    expect([mapped.statusCode, mapped.code]).toEqual([404, "ResourceNotFound"]);
    expect(mapped.message).toBe("Reading 'stdout.txt' of task 't' failed: the Batch service answered 404 (ResourceNotFound) without an error body.");
    const forbidden = new RestError("");
    forbidden.statusCode = 403;
    expect(toBatchError(forbidden).code).toBe("AuthenticationFailed");
    const teapot = new RestError("");
    teapot.statusCode = 418;
    expect([toBatchError(teapot).statusCode, toBatchError(teapot).code]).toEqual([418, "InvalidInput"]);
  });

  it("takes the code from x-ms-error-code when there is no body", () => {
    const error = new RestError("");
    error.statusCode = 409;
    error.response = { headers: new HttpHeaders({ "x-ms-error-code": "PoolBeingDeleted" }), status: 409, request: undefined as never };
    expect(toBatchError(error).code).toBe("PoolBeingDeleted");
  });

  it("maps an unreachable service to 503 ServerBusy, however the failure is wrapped", () => {
    const refused = Object.assign(
      new Error("request to http://127.0.0.1:1/pools?api-version=2022-10-01.16.0 failed, reason: connect ECONNREFUSED 127.0.0.1:1"),
      {
        name: "FetchError",
        code: "ECONNREFUSED",
        errno: "ECONNREFUSED",
      },
    );
    const mapped = toBatchError(refused, "Listing pools");
    expect([mapped.statusCode, mapped.code]).toEqual([503, "ServerBusy"]);
    expect(mapped.message).toContain("Listing pools");
    expect(mapped.message).toContain("ECONNREFUSED");
    expect(mapped.message).not.toContain("api-version");

    const notFound = new RestError("getaddrinfo ENOTFOUND acct.region.batch.azure.com", RestError.REQUEST_SEND_ERROR);
    expect(toBatchError(notFound).code).toBe("ServerBusy");
    const nested = Object.assign(new Error("fetch failed"), { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
    expect(toBatchError(nested).code).toBe("ServerBusy");
    const retried = Object.assign(new Error("timed out"), { innerError: Object.assign(new Error("t"), { code: "ETIMEDOUT" }) });
    expect(toBatchError(retried).statusCode).toBe(503);
  });

  it("maps an aborted request to a timeout and anything else to a 500", () => {
    expect(toBatchError(new RestError("The request was aborted", RestError.REQUEST_ABORTED_ERROR)).code).toBe("OperationTimedOut");
    const odd = toBatchError(new TypeError("x is not a function"), "Getting pool 'p'");
    expect([odd.statusCode, odd.code, odd.message]).toEqual([500, "InternalError", "Getting pool 'p' failed: x is not a function"]);
    expect(toBatchError("a string").code).toBe("InternalError");
  });

  it("maps a request the SDK cannot serialize to 400", () => {
    const missing = toBatchError(new Error("pool.id cannot be null or undefined."));
    expect([missing.statusCode, missing.code, missing.values]).toEqual([400, "MissingRequiredProperty", [{ key: "PropertyName", value: "id" }]]);
    const invalid = toBatchError(
      new Error('root is not a valid value for pool.startTask.userIdentity.autoUser.elevationLevel. The valid values are: ["nonadmin","admin"].'),
    );
    expect([invalid.statusCode, invalid.code]).toEqual([400, "InvalidPropertyValue"]);
    expect(invalid.values[0]).toEqual({ key: "PropertyName", value: "startTask.userIdentity.autoUser.elevationLevel" });
    expect(toBatchError(new Error('task.requiredSlots with value "two" must be of type number.')).values[0]).toEqual({
      key: "PropertyName",
      value: "requiredSlots",
    });
  });

  it("never carries a SAS or a key", () => {
    const sasUrl = "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=SECRETSIGNATURE";
    const error = serviceError(400, {
      code: "InvalidPropertyValue",
      message: { lang: "en-US", value: `Bad resource file ${sasUrl}` },
      values: [{ key: "PropertyValue", value: sasUrl }],
    });
    const mapped = toBatchError(error);
    expect(JSON.stringify({ message: mapped.message, values: mapped.values })).not.toContain("SECRETSIGNATURE");
    const network = toBatchError(Object.assign(new Error(`request to ${sasUrl} failed, reason: connect ECONNREFUSED`), { code: "ECONNREFUSED" }));
    expect(network.message).not.toContain("SECRETSIGNATURE");
    const withKey = toBatchError(new Error(`failed: DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${KEY}`));
    expect(withKey.message).not.toContain(KEY);
  });

  it("passes a BatchError through", () => {
    const original = new BatchError(409, "PoolExists", "exists");
    expect(toBatchError(original)).toBe(original);
  });
});

describe("callService, with the SDK's own pipeline", () => {
  it("turns the service's error answer into its BatchError", async () => {
    const client = clientAnswering(() => ({
      status: 404,
      headers: new HttpHeaders({ "content-type": "application/json;odata=minimalmetadata" }),
      bodyAsText: JSON.stringify({
        "odata.metadata": "https://acct.region.batch.azure.com/$metadata#Microsoft.Azure.Batch.Protocol.Entities.Container.errors/@Element",
        code: "JobNotFound",
        message: { lang: "en-US", value: "The specified job does not exist.\nRequestId:1\nTime:2024-01-01T00:00:00Z" },
      }),
    }));
    const error = await callService("Getting job 'j'", () => client.job.get("j")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    expect([(error as BatchError).statusCode, (error as BatchError).code, (error as BatchError).message]).toEqual([
      404,
      "JobNotFound",
      "The specified job does not exist.",
    ]);
  });

  it("turns a HEAD answer without a body into a status-only BatchError", async () => {
    const client = clientAnswering(() => ({ status: 403 }));
    const error = (await callService("Checking pool 'p'", () => client.pool.exists("p")).catch((e: unknown) => e)) as BatchError;
    expect([error.statusCode, error.code]).toEqual([403, "AuthenticationFailed"]);
  });

  it("turns a refused connection into ServerBusy", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as { port: number };
        server.close(() => resolve(address.port));
      });
    });
    const client = new BatchServiceClient(new BatchSharedKeyCredentials("acct", KEY), `http://127.0.0.1:${port}`, { noRetryPolicy: true });
    const error = (await callService("Listing pools", () => client.pool.list()).catch((e: unknown) => e)) as BatchError;
    expect(error).toBeInstanceOf(BatchError);
    expect([error.statusCode, error.code]).toEqual([503, "ServerBusy"]);
    expect(error.message).toMatch(/^The Batch service is not available: Listing pools: .*ECONNREFUSED/);
  });
});
