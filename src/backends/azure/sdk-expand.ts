import type { ExpandOptions } from "../../core/backend.js";

/** `$expand` for the SDK's get and list options: `stats` when asked, nothing otherwise. */
export function toSdkExpand(options: ExpandOptions | undefined): { expand?: string } {
  return options?.withStats ? { expand: "stats" } : {};
}
