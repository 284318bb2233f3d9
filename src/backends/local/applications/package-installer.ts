import path from "node:path";
import type { ApplicationPackageReference, ComputeNodeError, TaskFailureInfo } from "../../../core/models/index.js";
import { NODE_ROOT_DIR } from "../execution/node-layout.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import type { NodeRecord } from "../state/records.js";
import type { ApplicationStore, ResolvedPackage } from "./application-store.js";
import { extractZip } from "./zip-extraction.js";

/** Where a package is unpacked, relative to the node root: `applications/<applicationId>#<version>`. */
export function packageDirectory(pkg: Pick<ResolvedPackage, "applicationId" | "version">): string {
  return path.posix.join("applications", `${pkg.applicationId}#${pkg.version}`);
}

/** A Linux node's variable name part: periods, hyphens and number signs flattened to underscores, case kept. */
function flattened(name: string): string {
  return name.replace(/[.#-]/g, "_");
}

/**
 * The variables naming installed packages, as on a Linux node ("Deploy applications to compute
 * nodes with Batch application packages"): `AZ_BATCH_APP_PACKAGE_<applicationId>_<version>`, and
 * `AZ_BATCH_APP_PACKAGE_<applicationId>` for a package referenced without a version (the default
 * version), each the package's directory.
 */
export function packageEnvironment(packages: readonly ResolvedPackage[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pkg of packages) {
    const directory = path.posix.join(NODE_ROOT_DIR, packageDirectory(pkg));
    env[`AZ_BATCH_APP_PACKAGE_${flattened(pkg.applicationId)}_${flattened(pkg.version)}`] = directory;
    if (pkg.isDefault) env[`AZ_BATCH_APP_PACKAGE_${flattened(pkg.applicationId)}`] = directory;
  }
  return env;
}

export type Installation = { packages: ResolvedPackage[] } | { reference: ApplicationPackageReference; problem: string };

/**
 * How a task whose packages could not be installed fails (BatchApplicationPackageReference: "the
 * Task fails with a pre-processing error"), with the task scheduling error code the SDKs list for
 * it (TaskSchedulingErrorCodes.ApplicationPackageError).
 */
export function packageFailureInfo(failed: { reference: ApplicationPackageReference; problem: string }): TaskFailureInfo {
  return {
    category: "usererror",
    code: "ApplicationPackageError",
    message: `The application package could not be installed: ${failed.problem}`,
    details: [
      { name: "ApplicationId", value: failed.reference.applicationId },
      ...(failed.reference.version ? [{ name: "Version", value: failed.reference.version }] : []),
    ],
  };
}

/** The error that makes a node unusable when its pool's packages could not be installed. */
export function packageNodeError(failed: { reference: ApplicationPackageReference; problem: string }): ComputeNodeError {
  return {
    code: "InvalidApplicationPackageReferences",
    message: `The pool's application package could not be installed: ${failed.problem}`,
    errorDetails: [{ name: "ApplicationId", value: failed.reference.applicationId }],
  };
}

/**
 * Installs packages into nodes' `applications` directories, through NodeRootFs. Each package is
 * unpacked once per node start: tasks that share a package share the unpacked copy; a node that
 * starts again (reboot, reimage, a restart of Malachite) unpacks its pool's packages afresh.
 */
export class PackageInstaller {
  private readonly installed = new WeakMap<NodeRecord, Map<string, Promise<void>>>();
  private readonly poolPackages = new WeakMap<NodeRecord, ResolvedPackage[]>();

  constructor(private readonly store: ApplicationStore) {}

  /** A node (re)starts: it installs its pool's current packages, replacing what an earlier start left. */
  async installForNodeStart(node: NodeRecord, references: ApplicationPackageReference[] | undefined): Promise<Installation> {
    this.installed.set(node, new Map<string, Promise<void>>());
    this.poolPackages.set(node, []);
    const installation = await this.install(node, references);
    if ("packages" in installation) this.poolPackages.set(node, installation.packages);
    return installation;
  }

  /** The variables of the packages the node installed for its pool, seen by every task on it. */
  poolEnvironment(node: NodeRecord): Record<string, string> {
    return packageEnvironment(this.poolPackages.get(node) ?? []);
  }

  /** Installs the packages a task references (those already on the node are not unpacked again). */
  async install(node: NodeRecord, references: ApplicationPackageReference[] | undefined): Promise<Installation> {
    const packages: ResolvedPackage[] = [];
    for (const reference of references ?? []) {
      const resolved = await this.store.resolve(reference);
      if ("problem" in resolved) return { reference, problem: resolved.problem };
      try {
        await this.unpackOnce(node, resolved);
      } catch (error) {
        return { reference, problem: (error as Error).message };
      }
      packages.push(resolved);
    }
    return { packages };
  }

  private unpackOnce(node: NodeRecord, pkg: ResolvedPackage): Promise<void> {
    let cache = this.installed.get(node);
    if (!cache) this.installed.set(node, (cache = new Map<string, Promise<void>>()));
    const directory = packageDirectory(pkg);
    let unpacking = cache.get(directory);
    if (!unpacking) {
      const root = new NodeRootFs(node.hostRoot);
      unpacking = root.remove(directory).then(() => extractZip(pkg.zipPath, root, directory).then(() => undefined));
      cache.set(directory, unpacking);
      // A failed unpacking is tried again by the next task that needs it.
      unpacking.catch(() => cache.delete(directory));
    }
    return unpacking;
  }
}
