/** Which states an entity may move to from each state, as the Batch documentation describes. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

/** A state change the table does not allow: a programming error in Malachite, never a user error. */
export class IllegalTransitionError extends Error {
  override readonly name = "IllegalTransitionError";
  constructor(entity: string, id: string, from: string, to: string) {
    super(`${entity} ${id} cannot go from '${from}' to '${to}'`);
  }
}

/** Throws unless `table` allows `from → to`. Staying in the same state is never a transition. */
export function assertTransition<S extends string>(table: TransitionTable<S>, entity: string, id: string, from: S, to: S): void {
  if (!table[from].includes(to)) throw new IllegalTransitionError(entity, id, from, to);
}
