/**
 * Faults a user's test can inject into an emulated account (`POST /malachite/faults`,
 * `startMalachite().injectFault`), each reported on the entities as the service reports the
 * real event. Only an emulator offers them; the Azure backend has none.
 */
export type FaultRequest =
  | { type: "killNode"; poolId: string; nodeId: string }
  /** A Spot eviction of a Spot/low-priority node; a dedicated node is refused (409), as the service never preempts one. */
  | { type: "preemptNode"; poolId: string; nodeId: string }
  | { type: "failStartTask"; poolId: string; count?: number }
  | { type: "failResourceFiles"; jobId: string; taskId: string }
  | { type: "slowNode"; poolId: string; nodeId: string; delayMs: number };

export type FaultType = FaultRequest["type"];

export const FAULT_TYPES: readonly FaultType[] = ["killNode", "preemptNode", "failStartTask", "failResourceFiles", "slowNode"];

export interface FaultInjector {
  /** Applies the fault; fails with the usual Batch errors when its pool, node, job or task does not exist. */
  inject(fault: FaultRequest): Promise<void>;
}
