import type { MultiInstanceSettings } from "../../../core/models/index.js";
import { object, optional, type Parser } from "../body-schema.js";
import { integer, string } from "../body-values.js";
import { resourceFiles } from "./common-schemas.js";

/**
 * A task's `multiInstanceSettings` (SPEC models.tsp `MultiInstanceSettings`). The SDKs of 2021
 * (JS 10.2, Python 13) mark `coordinationCommandLine` required; the current specification makes it
 * optional, so it is parsed as optional and a task without one runs no coordination command.
 */
export const multiInstanceSettings: Parser<MultiInstanceSettings> = object("MultiInstanceSettings", {
  numberOfInstances: optional(integer()),
  coordinationCommandLine: optional(string),
  commonResourceFiles: optional(resourceFiles),
});
