import type { BlobStorage } from "../../../core/backend.js";
import type { ApplicationStore } from "../applications/application-store.js";
import type { PackageInstaller } from "../applications/package-installer.js";
import type { NodeRuntime } from "../docker/node-runtime.js";
import type { TaskExecutor } from "../execution/task-executor.js";
import type { Clock } from "../state/clock.js";
import type { EntityStates } from "../state/entity-states.js";
import type { NodeLifetimes } from "../state/node-lifetimes.js";
import type { RetiredUsage } from "../state/retired-usage.js";
import type { BatchStore } from "../state/store.js";
import type { BackgroundWork } from "./background-work.js";
import type { FaultRegistry } from "./fault-registry.js";
import type { SpotPreemptionSettings } from "./spot-preemption.js";

/** Settings of one local Batch account. */
export interface LocalSettings {
  /** Unique per backend instance; labels its containers. */
  sessionId: string;
  /** Host directory holding `nodes/<pool>/<node>` roots. */
  dataDir: string;
  /**
   * The state is journaled in `dataDir` (not in memory): node containers carry its label, and a
   * restart adopts those still running (state-recovery.ts).
   */
  durable?: boolean;
  /** The node image every compute node runs. */
  image: string;
  accountName: string;
  accountUrl: string;
  /** Random evictions of Spot nodes; none when unset. */
  spotPreemption?: SpotPreemptionSettings;
}

/** What the local services share. */
export interface LocalContext {
  /** Read the state here; change it only through `states`. */
  readonly state: BatchStore;
  readonly states: EntityStates;
  readonly runtime: NodeRuntime;
  readonly executor: TaskExecutor;
  readonly storage: BlobStorage;
  readonly clock: Clock;
  readonly settings: LocalSettings;
  readonly background: BackgroundWork;
  /** The account's application packages (`<dataDir>/applications`). */
  readonly applications: ApplicationStore;
  /** Unpacks pools' and tasks' application packages on nodes. */
  readonly packages: PackageInstaller;
  /** When each node came and went, for the pool usage metrics. */
  readonly usage: NodeLifetimes;
  /** What deleted jobs and tasks used, for the account's lifetime job statistics. */
  readonly retired: RetiredUsage;
  /** Faults a test injected, consulted where the work they concern happens. */
  readonly faults: FaultRegistry;
  /** Asks the dispatcher to look for tasks to start; cheap, coalesced. */
  requestScheduling(): void;
}
