import path from "node:path";
import type { BlockBlobUploadStreamOptions } from "@azure/storage-blob";
import type { OutputFile } from "../../../core/models/index.js";

/**
 * How the service names the blobs of an output file, and which of its `uploadHeaders` it applies.
 *
 * Blob names (SPEC: `OutputFileBlobContainerDestination.path`, REST reference and @azure/batch
 * `OutputFileBlobContainerDestination`: "If filePattern refers to a specific file (i.e. contains no
 * wildcards), then path is the name of the blob to which to upload that file. If filePattern
 * contains one or more wildcards (and therefore may match multiple files), then path is the name of
 * the blob virtual directory (which is prepended to each blob name) to which to upload the file(s).
 * If omitted, file(s) are uploaded to the root of the container with a blob name matching their
 * file name."). The article "Persist task data to Azure Storage with the Batch service API"
 * (learn.microsoft.com/azure/batch/batch-task-output-files, "Disambiguate files with the same
 * name") gives the pattern `..\std*.txt` with path `mytask` the blobs `mytask/stderr.txt` and
 * `mytask/stdout.txt`: a match is named relative to the directory the pattern starts from, not to
 * the working directory. The node agent's own log says so too ("Resolved mapping - base_path:
 * /mnt/batch/tasks/workitems/testjob/job-1/Task2, full_pattern: …/Task2/stdout.txt,
 * original_pattern: ../stdout.txt", github.com/Azure/Batch/issues/68). So:
 *
 * - the base of a pattern is its leading directories up to the first one with a wildcard (for a
 *   pattern without any, the directory of the file): `../std*.txt` → the task directory,
 *   `**\/*.txt` → the working directory, `out/*.txt` → `wd/out`;
 * - a pattern with a wildcard names each match `path/` + the match's path below the base
 *   (subdirectories kept, for `**`), or that relative path alone without `path`;
 * - a pattern without a wildcard names its file `path` itself, or its file name without `path`.
 */

/** `*`, `?` and `[` are the wildcards of a file pattern (REST `OutputFile.filePattern`). */
function hasWildcard(text: string): boolean {
  return /[*?[]/.test(text);
}

export interface ResolvedPattern {
  /** The pattern relative to the task directory, `/`-separated and normalized (`wd/…` for most). */
  pattern: string;
  /** The directory, relative to the task directory, the matches are named from ("" for the task directory). */
  base: string;
  literal: boolean;
}

/**
 * Resolves an output file pattern against the task directory: relative patterns are relative to
 * the working directory `wd` (`../x` is the task directory's `x`). An absolute pattern is returned
 * as is: it names a path of the node, which no file of the task directory matches here.
 */
export function resolvePattern(filePattern: string): ResolvedPattern {
  const pattern = filePattern.startsWith("/") ? path.posix.normalize(filePattern) : path.posix.normalize(path.posix.join("wd", filePattern));
  const segments = pattern.split("/");
  const literal = !hasWildcard(pattern);
  const firstWild = segments.findIndex(hasWildcard);
  const baseSegments = literal ? segments.slice(0, -1) : segments.slice(0, firstWild);
  const base = baseSegments.join("/");
  return { pattern, base: base === "." ? "" : base, literal };
}

/** The blob name of `file` (relative to the task directory, matched by `resolved`) for an output file's `path`. */
export function outputBlobName(resolved: ResolvedPattern, destinationPath: string | undefined, file: string): string {
  const below = resolved.base ? path.posix.relative(resolved.base, file) : file;
  if (!destinationPath) return resolved.literal ? path.posix.basename(file) : below;
  if (resolved.literal) return destinationPath;
  const prefix = destinationPath.replace(/\/+$/, "");
  return prefix ? `${prefix}/${below}` : below;
}

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
