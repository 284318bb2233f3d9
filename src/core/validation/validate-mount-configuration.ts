import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalObject } from "./checks.js";

/**
 * A pool's `mountConfiguration` (SPEC models.tsp `MountConfiguration`): file systems the service
 * mounts on every node below `AZ_BATCH_NODE_MOUNTS_DIR`. Malachite mounts none of them; each kind
 * is refused by its full path (`mountConfiguration[0].azureBlobFileSystemConfiguration`) with the
 * reason and what to use instead, rather than a node running without the files a task expects.
 */
export const UNEMULATED_MOUNT_PROPERTIES = {
  azureBlobFileSystemConfiguration:
    "Malachite does not mount blob containers (blobfuse) on its nodes: stage the container's blobs with resourceFiles " +
    "(storageContainerUrl or autoStorageContainerName) and upload results with outputFiles.",
  nfsMountConfiguration:
    "Malachite does not mount NFS shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
  cifsMountConfiguration:
    "Malachite does not mount CIFS/SMB shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
  azureFileShareConfiguration:
    "Malachite does not mount Azure file shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
} satisfies Record<string, string>;

const KINDS = Object.keys(UNEMULATED_MOUNT_PROPERTIES) as (keyof typeof UNEMULATED_MOUNT_PROPERTIES)[];

/** The service's rules for `mountConfiguration`, and Malachite's refusal of each kind of mount. */
export function validateMountConfiguration(name: string, value: unknown): void {
  optionalArray(name, value).forEach((entry, index) => {
    const at = `${name}[${index}]`;
    const mount = optionalObject(at, entry);
    if (!mount) throw BatchErrors.missingProperty(at);
    const kind = KINDS.find((known) => mount[known] !== undefined && mount[known] !== null);
    if (kind) throw BatchErrors.unsupportedProperty(`${at}.${kind}`, UNEMULATED_MOUNT_PROPERTIES[kind]);
    throw BatchErrors.invalidPropertyValue(at, "{}", `Exactly one of ${KINDS.join(", ")} must be specified.`);
  });
}
