/** Malachite's programmatic API. */
export { startMalachite, type MalachiteOptions, type RunningMalachite } from "./start-malachite.js";
export { compose, composeLocal, type Composition, type CompositionOptions } from "./composition-root.js";
export { loadConfig, type MalachiteConfig, type ConfigFlags } from "./core/config/index.js";
export type * from "./core/backend.js";
export type * from "./core/models/index.js";
export type { FaultRequest, FaultType } from "./core/faults.js";
export { BatchError, isBatchError } from "./core/batch-error.js";
export { BatchErrors } from "./core/batch-errors.js";
export { runTutorial, type TutorialOptions, type TutorialResult } from "./workflow/tutorial-workflow.js";
