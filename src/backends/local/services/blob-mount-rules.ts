import { BatchErrors } from "../../../core/batch-errors.js";
import type { MountConfiguration } from "../../../core/models/index.js";

/**
 * A blob container mount names a container of Malachite's own blob service (the only account it
 * has), which Malachite reads and writes with its own key; the pool's keys are never kept.
 */
export function checkBlobMounts(mounts: readonly MountConfiguration[] | undefined, accountName: string): void {
  (mounts ?? []).forEach((mount, index) => {
    const blob = mount.azureBlobFileSystemConfiguration;
    if (!blob || blob.accountName === accountName) return;
    throw BatchErrors.unsupportedProperty(
      `mountConfiguration[${index}].azureBlobFileSystemConfiguration.accountName`,
      `Malachite's blob service has one storage account, '${accountName}': a mounted container must be one of its containers.`,
    );
  });
}

/** The mounts as Malachite keeps and reports them: without `accountKey` and `sasKey`. */
export function mountsWithoutKeys(mounts: MountConfiguration[]): MountConfiguration[] {
  return mounts.map((mount) => {
    if (!mount.azureBlobFileSystemConfiguration) return mount;
    const { accountKey: _key, sasKey: _sas, ...kept } = mount.azureBlobFileSystemConfiguration;
    return { ...mount, azureBlobFileSystemConfiguration: kept };
  });
}
