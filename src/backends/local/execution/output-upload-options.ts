import type { BlockBlobUploadStreamOptions } from "@azure/storage-blob";
import type { OutputFile } from "../../../core/models/index.js";

type UploadOptions = Pick<BlockBlobUploadStreamOptions, "blobHTTPHeaders" | "metadata" | "tags" | "tier" | "conditions" | "encryptionScope">;

/**
 * The `uploadHeaders` of an output file as upload options. The REST reference points them at Put
 * Blob's "Request Headers (All Blob Types)" (learn.microsoft.com/rest/api/storageservices/put-blob);
 * names are case-insensitive, a repeated one counts once (the last). Applied:
 *
 * - blob properties: `Content-Type`, `Content-Encoding`, `Content-Language`, `Cache-Control`,
 *   `Content-Disposition`, `Content-MD5` (base64), each also under its `x-ms-blob-…` name;
 * - `x-ms-meta-<name>` as metadata, `x-ms-tags` (a query string) as tags, `x-ms-access-tier`;
 * - `x-ms-encryption-scope`;
 * - conditions: `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`,
 *   `x-ms-if-tags`, `x-ms-lease-id` (an unmet one fails the upload, as Storage answers 412).
 *
 * Any other header is ignored: the request headers of the upload itself (`x-ms-version`,
 * `x-ms-date`, `Authorization`, `Content-Length`, `x-ms-blob-type`, `x-ms-client-request-id`…) are
 * the uploader's, and the rest (customer-provided keys, immutability policies, legal holds) have
 * nothing behind them here. Without `Content-Type` a blob is `application/octet-stream`.
 */
export function uploadOptions(file: OutputFile): UploadOptions {
  const headers = new Map<string, string>();
  for (const header of file.destination.container.uploadHeaders ?? []) headers.set(header.name.trim().toLowerCase(), header.value ?? "");
  const first = (...names: string[]): string | undefined => names.map((name) => headers.get(name)).find((value) => value !== undefined);
  const md5 = first("x-ms-blob-content-md5", "content-md5");
  const date = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));
  const metadata = Object.fromEntries([...headers].filter(([name]) => name.startsWith("x-ms-meta-")).map(([name, value]) => [name.slice(10), value]));
  const tags = headers.get("x-ms-tags");
  const options: UploadOptions = {
    blobHTTPHeaders: {
      blobContentType: first("x-ms-blob-content-type", "content-type") ?? "application/octet-stream",
      blobContentEncoding: first("x-ms-blob-content-encoding", "content-encoding"),
      blobContentLanguage: first("x-ms-blob-content-language", "content-language"),
      blobCacheControl: first("x-ms-blob-cache-control", "cache-control"),
      blobContentDisposition: first("x-ms-blob-content-disposition", "content-disposition"),
      blobContentMD5: md5 === undefined ? undefined : new Uint8Array(Buffer.from(md5, "base64")),
    },
    conditions: {
      ifMatch: headers.get("if-match"),
      ifNoneMatch: headers.get("if-none-match"),
      ifModifiedSince: date(headers.get("if-modified-since")),
      ifUnmodifiedSince: date(headers.get("if-unmodified-since")),
      tagConditions: headers.get("x-ms-if-tags"),
      leaseId: headers.get("x-ms-lease-id"),
    },
  };
  if (Object.keys(metadata).length) options.metadata = metadata;
  if (tags !== undefined) options.tags = Object.fromEntries(new URLSearchParams(tags));
  const tier = headers.get("x-ms-access-tier");
  if (tier !== undefined) options.tier = tier;
  const scope = headers.get("x-ms-encryption-scope");
  if (scope !== undefined) options.encryptionScope = scope;
  return options;
}
