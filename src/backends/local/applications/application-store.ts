import { copyFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { ApplicationPackageReference, ApplicationSummary } from "../../../core/models/index.js";
import { idKey } from "../../../core/validation/ids.js";
import { checkZip } from "./zip-extraction.js";

/** The subdirectory of the data directory that holds the application packages. */
export const APPLICATIONS_SUBDIRECTORY = "applications";

/** Application names (Batch management API): letters, digits, hyphens and underscores, up to 64. */
const APPLICATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Package versions: the same, and periods; not `.` or `..`. */
const VERSION = /^[A-Za-z0-9_.-]{1,64}$/;

interface StoredApplication {
  id: string;
  displayName?: string;
  defaultVersion?: string;
  versions: string[];
}

interface StoreIndex {
  applications: Record<string, StoredApplication>;
}

/** A package resolved from a reference: the version installed and its zip file. */
export interface ResolvedPackage {
  applicationId: string;
  version: string;
  /** The reference named no version: the application's default was taken. */
  isDefault: boolean;
  zipPath: string;
}

export interface AddPackageOptions {
  displayName?: string;
  /** Make this version the application's default (what a reference without a version installs). */
  makeDefault?: boolean;
}

/**
 * The account's application packages, on the host: `<dataDir>/applications/<id>/<version>.zip`
 * and `index.json` (ids, display names, versions, default versions). Read on every request, so
 * `malachite app add` on the data directory of a running Malachite is seen at once. Ids are
 * case-insensitive and case-preserving, as on the service.
 */
export class ApplicationStore {
  constructor(private readonly root: string) {}

  static forDataDir(dataDir: string): ApplicationStore {
    return new ApplicationStore(path.join(dataDir, APPLICATIONS_SUBDIRECTORY));
  }

  private async index(): Promise<StoreIndex> {
    try {
      return JSON.parse(await readFile(path.join(this.root, "index.json"), "utf8")) as StoreIndex;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { applications: {} };
      throw error;
    }
  }

  private async writeIndex(index: StoreIndex): Promise<void> {
    const file = path.join(this.root, "index.json");
    await writeFile(`${file}.tmp`, `${JSON.stringify(index, null, 2)}\n`);
    await rename(`${file}.tmp`, file);
  }

  /** Adds (or replaces) one version of an application from a zip file, checked to unpack safely first. */
  async add(applicationId: string, version: string, zipFile: string, options: AddPackageOptions = {}): Promise<ApplicationSummary> {
    if (!APPLICATION_ID.test(applicationId)) {
      throw BatchErrors.invalidPropertyValue("applicationId", applicationId, "An application id has 1 to 64 letters, digits, hyphens and underscores.");
    }
    if (!VERSION.test(version) || /^\.+$/.test(version)) {
      throw BatchErrors.invalidPropertyValue("version", version, "A version has 1 to 64 letters, digits, hyphens, underscores and periods.");
    }
    await checkZip(zipFile);
    const index = await this.index();
    const key = idKey(applicationId);
    const application = index.applications[key] ?? { id: applicationId, versions: [] };
    const directory = path.join(this.root, idKey(application.id));
    await mkdir(directory, { recursive: true });
    await copyFile(zipFile, path.join(directory, `${version.toLowerCase()}.zip`));
    const versions = application.versions.filter((known) => known.toLowerCase() !== version.toLowerCase());
    application.versions = [...versions, version];
    if (options.displayName !== undefined) application.displayName = options.displayName;
    if (options.makeDefault) application.defaultVersion = version;
    index.applications[key] = application;
    await this.writeIndex(index);
    return summary(application);
  }

  async list(): Promise<ApplicationSummary[]> {
    const index = await this.index();
    return Object.values(index.applications)
      .map(summary)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** 404 `ApplicationNotFound` for an application the account does not have. */
  async get(applicationId: string): Promise<ApplicationSummary> {
    const application = (await this.index()).applications[idKey(applicationId)];
    if (!application) throw BatchErrors.applicationNotFound(applicationId);
    return summary(application);
  }

  /** The package a reference names, or why it names none (no such application, version, or no default version). */
  async resolve(reference: ApplicationPackageReference): Promise<ResolvedPackage | { problem: string }> {
    const applicationId = applicationName(reference.applicationId);
    const application = (await this.index()).applications[idKey(applicationId)];
    if (!application) return { problem: `The application '${applicationId}' does not exist.` };
    const wanted = reference.version ?? application.defaultVersion;
    if (wanted === undefined) return { problem: `No version was specified and the application '${application.id}' has no default version.` };
    const version = application.versions.find((known) => known.toLowerCase() === wanted.toLowerCase());
    if (!version) return { problem: `The application '${application.id}' has no version '${wanted}'.` };
    return {
      applicationId: application.id,
      version,
      isDefault: reference.version === undefined,
      zipPath: path.join(this.root, idKey(application.id), `${version.toLowerCase()}.zip`),
    };
  }
}

function summary(application: StoredApplication): ApplicationSummary {
  return { id: application.id, displayName: application.displayName ?? application.id, versions: [...application.versions] };
}

/**
 * The application a reference names: the plain id, or the last segment of the fully qualified
 * resource id the service asks for on pools (`/subscriptions/.../applications/{applicationName}`).
 */
export function applicationName(applicationId: string): string {
  const match = /\/applications\/([^/]+)\/?$/i.exec(applicationId);
  return match ? match[1]! : applicationId;
}
