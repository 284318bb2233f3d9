import type { ConfigFlags } from "../core/config/index.js";

/** The flags every command that runs a backend reads into `ConfigFlags` (for `parseArgs`). */
export const CONFIG_FLAG_OPTIONS = {
  backend: { type: "string" },
  config: { type: "string" },
  "data-dir": { type: "string" },
  "blob-port": { type: "string" },
  "blob-location": { type: "string" },
  "in-memory": { type: "boolean" },
} as const;

interface ConfigFlagValues {
  backend?: string;
  config?: string;
  "data-dir"?: string;
  "blob-port"?: string;
  "blob-location"?: string;
  "in-memory"?: boolean;
}

/** The parsed flags as `loadConfig` takes them. */
export function configFlags(values: ConfigFlagValues): ConfigFlags {
  return {
    backend: values.backend,
    config: values.config,
    dataDir: values["data-dir"],
    blobPort: values["blob-port"],
    blobLocation: values["blob-location"],
    inMemory: values["in-memory"],
  };
}
