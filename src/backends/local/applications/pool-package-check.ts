import { BatchErrors } from "../../../core/batch-errors.js";
import type { ApplicationPackageReference } from "../../../core/models/index.js";
import type { ApplicationStore } from "./application-store.js";

/**
 * A pool's package references must each name a package the account has, with a version or a
 * default version: otherwise the pool add or update fails with 409 InvalidApplicationPackageReferences
 * (ApplicationPackageReference docs). Tasks are checked only when they run (task-packages.ts).
 */
export async function checkPoolPackageReferences(store: ApplicationStore, references: ApplicationPackageReference[] | undefined): Promise<void> {
  for (const reference of references ?? []) {
    const resolved = await store.resolve(reference);
    if ("problem" in resolved) {
      const name = reference.version ? `${reference.applicationId}:${reference.version}` : reference.applicationId;
      throw BatchErrors.invalidApplicationPackageReferences(name, resolved.problem);
    }
  }
}
