/** An Azure backend whose Batch client talks to a function instead of the network: the SDK runs for real above it. */
import { Readable } from "node:stream";
import { HttpHeaders, type HttpOperationResponse, type WebResourceLike } from "@azure/ms-rest-js";
import { AzureBackend } from "../../../src/backends/azure/azure-backend.js";

export const ACCOUNT_URL = "https://acct.region.batch.azure.com";
const KEY = Buffer.alloc(64, 5).toString("base64");
const JSON_TYPE = "application/json;odata=minimalmetadata";

export interface Answer {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
  stream?: string;
}

export type Route = (request: WebResourceLike, url: URL) => Answer | undefined;

/** An Azure backend whose Batch client talks to `route` instead of the network. */
export async function backendAnswering(route: Route): Promise<{ backend: AzureBackend; requests: WebResourceLike[] }> {
  const requests: WebResourceLike[] = [];
  const backend = await AzureBackend.create(
    {
      batchAccountName: "acct",
      batchAccountKey: KEY,
      batchEndpoint: ACCOUNT_URL,
      storageAccountName: "store",
      storageAccountKey: KEY,
      taskImage: "myacr.azurecr.io/malachite-node:1",
    },
    {
      clientOptions: {
        noRetryPolicy: true,
        httpClient: {
          async sendRequest(request): Promise<HttpOperationResponse> {
            requests.push(request);
            const answer = route(request, new URL(request.url)) ?? { status: 500, json: { code: "Unrouted", message: { value: request.url } } };
            const headers = new HttpHeaders({ "request-id": "00000000-0000-0000-0000-000000000001", ...answer.headers });
            if (answer.json !== undefined) headers.set("content-type", JSON_TYPE);
            const response: HttpOperationResponse = { request, status: answer.status ?? 200, headers };
            if (answer.json !== undefined) response.bodyAsText = JSON.stringify(answer.json);
            if (answer.stream !== undefined) response.readableStreamBody = Readable.from([Buffer.from(answer.stream)]);
            return response;
          },
        },
      },
    },
  );
  return { backend, requests };
}
