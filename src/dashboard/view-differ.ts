import type { ViewDiff, ViewState } from "./view-models.js";

/**
 * The last state a page was sent, kept as JSON by collection and id, and what differs in the
 * next one: the entities added or changed, and the ids gone.
 */
export class ViewDiffer {
  private sent = new Map<string, Map<string, string>>();

  /** The diff from the last state to `next` (undefined when nothing changed), and `next` becomes the last. */
  next(next: ViewState): ViewDiff | undefined {
    const diff: ViewDiff = { set: {}, removed: {} };
    let changed = false;
    const sent = new Map<string, Map<string, string>>();
    for (const [collection, entities] of Object.entries(next)) {
      const before = this.sent.get(collection) ?? new Map<string, string>();
      const now = new Map<string, string>();
      for (const [id, entity] of Object.entries(entities)) {
        const json = JSON.stringify(entity);
        now.set(id, json);
        if (before.get(id) !== json) {
          (diff.set[collection] ??= {})[id] = entity;
          changed = true;
        }
      }
      const gone = [...before.keys()].filter((id) => !now.has(id));
      if (gone.length > 0) {
        diff.removed[collection] = gone;
        changed = true;
      }
      sent.set(collection, now);
    }
    this.sent = sent;
    return changed ? diff : undefined;
  }
}
