import { isoNow, newETag, type Clock } from "./clock.js";
import type { BatchStore } from "./store.js";

/** What the state modules need: the store they write to and the clock they stamp with. */
export interface StateContext {
  readonly store: BatchStore;
  readonly clock: Clock;
}

/** An entity the service versions: pools, jobs and tasks carry an ETag and a last-modified time. */
export interface VersionedEntity {
  eTag: string;
  lastModified: string;
}

/** Applies `fields` and gives the entity a new version (ETag, last-modified time). */
export function applyVersioned<E extends VersionedEntity>(entity: E, fields: Partial<E>, clock: Clock): void {
  Object.assign(entity, fields);
  entity.lastModified = isoNow(clock);
  entity.eTag = newETag(clock);
}

/** A state change of an entity with a previous state (jobs, tasks): both transition times move. */
export function shiftState<S extends string>(
  entity: { state: S; stateTransitionTime: string; previousState?: S; previousStateTransitionTime?: string },
  to: S,
  now: string,
): void {
  entity.previousState = entity.state;
  entity.previousStateTransitionTime = entity.stateTransitionTime;
  entity.state = to;
  entity.stateTransitionTime = now;
}
