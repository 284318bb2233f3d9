import { apiVersionBefore } from "./api-version.js";

/**
 * Field names that changed between api-versions. Malachite's model uses the current names;
 * requests in an older api-version are translated on the way in, responses on the way out.
 */
const RENAMES: { oldName: string; newName: string; until: string }[] = [
  // ResourceFile.blobSource became httpUrl in 2018-12-01.8.0.
  { oldName: "blobSource", newName: "httpUrl", until: "2018-12-01.8.0" },
  // Pool maxTasksPerNode became taskSlotsPerNode in 2020-09-01.12.0.
  { oldName: "maxTasksPerNode", newName: "taskSlotsPerNode", until: "2020-09-01.12.0" },
];

function renameKeys(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, renames));
  if (typeof value !== "object" || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[renames.get(key) ?? key] = renameKeys(item, renames);
  return result;
}

function renamesFor(apiVersion: string, direction: "in" | "out"): Map<string, string> {
  const applicable = RENAMES.filter((rename) => apiVersionBefore(apiVersion, rename.until));
  return new Map(applicable.map((r) => (direction === "in" ? [r.oldName, r.newName] : [r.newName, r.oldName])));
}

/** A request body in the names of its api-version, in the current names. */
export function toCurrentNames<T>(body: T, apiVersion: string): T {
  const renames = renamesFor(apiVersion, "in");
  return renames.size === 0 ? body : (renameKeys(body, renames) as T);
}

/** A response body in the current names, in the names of the request's api-version. */
export function toVersionNames<T>(body: T, apiVersion: string): T {
  const renames = renamesFor(apiVersion, "out");
  return renames.size === 0 ? body : (renameKeys(body, renames) as T);
}

/** One property name in the current names, as the request's api-version spells it. */
export function versionName(name: string, apiVersion: string): string {
  return renamesFor(apiVersion, "out").get(name) ?? name;
}

/** One property name as the request's api-version spells it, in the current names. */
export function currentName(name: string, apiVersion: string): string {
  return renamesFor(apiVersion, "in").get(name) ?? name;
}
