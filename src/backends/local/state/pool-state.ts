import type { AllocationState, CloudPool, PoolState } from "../../../core/models/index.js";
import { isoNow } from "./clock.js";
import type { PoolRecord } from "./records.js";
import { assertTransition, type TransitionTable } from "./transitions.js";
import { applyVersioned, type StateContext } from "./versioning.js";

/** A pool's life (REST `PoolState`): `active` until it is deleted. */
export const POOL_TRANSITIONS: TransitionTable<PoolState> = {
  active: ["deleting"],
  deleting: [],
};

/**
 * A pool's size (REST `AllocationState`): `resizing` while nodes come or go, `stopping` while a
 * resize is being stopped, `steady` otherwise.
 */
export const ALLOCATION_TRANSITIONS: TransitionTable<AllocationState> = {
  steady: ["resizing"],
  resizing: ["steady", "stopping"],
  stopping: ["steady"],
};

/**
 * The only writer of pools' Batch fields: every change gets a new ETag and last-modified time.
 * Node-level changes (a node changing state) are not pool changes, as on the service.
 */
export class PoolStates {
  constructor(private readonly ctx: StateContext) {}

  transition(record: PoolRecord, to: PoolState, fields: Partial<CloudPool> = {}): void {
    const pool = record.pool;
    assertTransition(POOL_TRANSITIONS, "pool", pool.id, pool.state, to);
    this.update(record, { ...fields, state: to, stateTransitionTime: isoNow(this.ctx.clock) });
  }

  /** Moves the allocation state; staying in the same one changes nothing. */
  allocate(record: PoolRecord, to: AllocationState, fields: Partial<CloudPool> = {}): void {
    const pool = record.pool;
    if (pool.allocationState === to) {
      if (Object.keys(fields).length > 0) this.update(record, fields);
      return;
    }
    assertTransition(ALLOCATION_TRANSITIONS, "pool allocation of", pool.id, pool.allocationState, to);
    this.update(record, { ...fields, allocationState: to, allocationStateTransitionTime: isoNow(this.ctx.clock) });
  }

  update(record: PoolRecord, fields: Partial<CloudPool>): void {
    applyVersioned(record.pool, fields, this.ctx.clock);
    this.ctx.store.changed(record);
  }
}
