import { readFile } from "node:fs/promises";

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

/**
 * Uploads a local file as a block blob with one Put Blob request.
 * Error messages name the blob, the container, the HTTP status and the service's error
 * code, never the URL (which carries the SAS token).
 */
export async function uploadBlob(target: BlobUploadTarget, blobName: string, filePath: string): Promise<void> {
  const body = await readFile(filePath);
  const what = `upload of blob ${blobName} to container [${target.container}] failed`;
  let response: Response;
  try {
    response = await fetch(blobUrl(target, blobName), {
      method: "PUT",
      headers: {
        "x-ms-blob-type": "BlockBlob",
        "x-ms-version": "2021-08-06",
        "Content-Length": String(body.byteLength),
        "Content-Type": "application/octet-stream",
      },
      body,
    });
  } catch (error) {
    throw new Error(`${what}: ${describe(error)}`);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) {
    const code = response.headers.get("x-ms-error-code") ?? "no error code";
    throw new Error(`${what}: HTTP ${response.status} ${response.statusText} (${code})`);
  }
}
