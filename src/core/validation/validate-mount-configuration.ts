import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalObject, optionalRelativePath, optionalString, requireString } from "./checks.js";

/**
 * A pool's `mountConfiguration` (SPEC models.tsp `MountConfiguration`): file systems mounted on
 * every node below `AZ_BATCH_NODE_MOUNTS_DIR`. Blob containers (`azureBlobFileSystemConfiguration`)
 * are checked as the service checks them; the other kinds are refused by their full path
 * (`mountConfiguration[0].nfsMountConfiguration`) with the reason and what to use instead.
 */
export const UNEMULATED_MOUNT_PROPERTIES = {
  nfsMountConfiguration:
    "Malachite does not mount NFS shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
  cifsMountConfiguration:
    "Malachite does not mount CIFS/SMB shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
  azureFileShareConfiguration:
    "Malachite does not mount Azure file shares on its nodes; a container task can bind a host directory with containerRunOptions (-v HOST:CONTAINER).",
} satisfies Record<string, string>;

const KINDS = ["azureBlobFileSystemConfiguration", ...Object.keys(UNEMULATED_MOUNT_PROPERTIES)];

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function validateBlobFileSystem(name: string, blob: Record<string, unknown>): string {
  requireString(`${name}.accountName`, blob.accountName);
  requireString(`${name}.containerName`, blob.containerName);
  const mountPath = requireString(`${name}.relativeMountPath`, blob.relativeMountPath);
  optionalRelativePath(`${name}.relativeMountPath`, mountPath);
  for (const key of ["accountKey", "sasKey", "blobfuseOptions"]) optionalString(`${name}.${key}`, blob[key]);
  optionalObject(`${name}.identityReference`, blob.identityReference);
  const credentials = ["accountKey", "sasKey", "identityReference"].filter((key) => present(blob[key]));
  if (credentials.length !== 1) {
    throw BatchErrors.invalidPropertyValue(
      name,
      credentials.join(", ") || "(no credential)",
      "Exactly one of accountKey, sasKey and identityReference must be specified.",
    );
  }
  return mountPath;
}

/** The service's rules for `mountConfiguration`, and Malachite's refusal of the kinds it does not mount. */
export function validateMountConfiguration(name: string, value: unknown): void {
  const mountPaths = new Set<string>();
  optionalArray(name, value).forEach((entry, index) => {
    const at = `${name}[${index}]`;
    const mount = optionalObject(at, entry);
    if (!mount) throw BatchErrors.missingProperty(at);
    const kinds = KINDS.filter((kind) => present(mount[kind]));
    if (kinds.length !== 1) throw BatchErrors.invalidPropertyValue(at, kinds.join(", ") || "{}", `Exactly one of ${KINDS.join(", ")} must be specified.`);
    const kind = kinds[0] as string;
    if (kind in UNEMULATED_MOUNT_PROPERTIES) {
      throw BatchErrors.unsupportedProperty(`${at}.${kind}`, UNEMULATED_MOUNT_PROPERTIES[kind as keyof typeof UNEMULATED_MOUNT_PROPERTIES]);
    }
    const blobAt = `${at}.azureBlobFileSystemConfiguration`;
    const blob = optionalObject(blobAt, mount.azureBlobFileSystemConfiguration) as Record<string, unknown>;
    const mountPath = validateBlobFileSystem(blobAt, blob);
    if (mountPaths.has(mountPath.toLowerCase())) {
      throw BatchErrors.invalidPropertyValue(`${blobAt}.relativeMountPath`, mountPath, "Each mount must have a distinct relativeMountPath.");
    }
    mountPaths.add(mountPath.toLowerCase());
  });
}
