import type { ServiceIdentifier } from "inversify";
import type { Backend } from "./backend.js";
import type { MalachiteConfig } from "./config/config.js";

/** Injection tokens of the composition root. */
export const TOKENS = {
  Config: Symbol.for("malachite.Config") as ServiceIdentifier<MalachiteConfig>,
  Backend: Symbol.for("malachite.Backend") as ServiceIdentifier<Backend>,
} as const;
