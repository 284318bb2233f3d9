import path from "node:path";

/**
 * How the service names the blobs of an output file (its `uploadHeaders`: output-upload-options.ts).
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
