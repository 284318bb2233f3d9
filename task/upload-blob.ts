import { readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Where to upload: a container reached with a container SAS token (no leading `?`). */
export interface BlobUploadTarget {
  readonly blobEndpoint: string;
  readonly container: string;
  readonly sasToken: string;
}

/** `{endpoint}/{container}/{blob}?{sas}`; each segment of the blob name is percent-encoded. */
export function blobUrl(target: BlobUploadTarget, blobName: string): string {
  const encodedName = blobName.split("/").map(encodeURIComponent).join("/");
  const base = `${target.blobEndpoint}/${encodeURIComponent(target.container)}/${encodedName}`;
  return target.sasToken === "" ? base : `${base}?${target.sasToken}`;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/** What the service answered. */
interface PutResult {
  status: number;
  statusText: string;
  errorCode: string | undefined;
}

/**
 * One PUT on a connection of its own, closed when the answer has been read (`Connection: close`,
 * no pooling agent): nothing is left open to keep the process alive once the upload is done, where
 * `fetch` would keep the socket for reuse and the task would linger for its keep-alive timeout.
 */
function put(url: string, headers: Record<string, string>, body: Buffer): Promise<PutResult> {
  const request = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "PUT", agent: false, headers: { ...headers, Connection: "close" } }, (res) => {
      res.on("error", reject);
      res.on("end", () => {
        const code = res.headers["x-ms-error-code"];
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", errorCode: Array.isArray(code) ? code[0] : code });
      });
      res.resume();
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Uploads a local file as a block blob with one Put Blob request.
 * Error messages name the blob, the container, the HTTP status and the service's error
 * code, never the URL (which carries the SAS token).
 */
export async function uploadBlob(target: BlobUploadTarget, blobName: string, filePath: string): Promise<void> {
  const body = await readFile(filePath);
  const what = `upload of blob ${blobName} to container [${target.container}] failed`;
  let result: PutResult;
  try {
    result = await put(
      blobUrl(target, blobName),
      {
        "x-ms-blob-type": "BlockBlob",
        "x-ms-version": "2021-08-06",
        "Content-Length": String(body.byteLength),
        "Content-Type": "application/octet-stream",
      },
      body,
    );
  } catch (error) {
    throw new Error(`${what}: ${describe(error)}`);
  }
  if (result.status < 200 || result.status > 299) {
    throw new Error(`${what}: HTTP ${result.status} ${result.statusText} (${result.errorCode ?? "no error code"})`);
  }
}
