import type { ApplicationOperations } from "../../../core/backend.js";
import type { ApplicationSummary } from "../../../core/models/index.js";
import type { ApplicationStore } from "../applications/application-store.js";

/** `GET /applications`, `GET /applications/{applicationId}`: the packages in the data directory's store. */
export class LocalApplicationOperations implements ApplicationOperations {
  constructor(private readonly store: ApplicationStore) {}

  list(): Promise<ApplicationSummary[]> {
    return this.store.list();
  }

  get(applicationId: string): Promise<ApplicationSummary> {
    return this.store.get(applicationId);
  }

  /** Adds a version of an application from a zip file (what `malachite app add` does). */
  add(applicationId: string, version: string, zipFile: string, options?: { displayName?: string; makeDefault?: boolean }): Promise<ApplicationSummary> {
    return this.store.add(applicationId, version, zipFile, options);
  }
}
