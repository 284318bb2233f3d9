import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalBoolean, optionalInteger, optionalObject, requireString } from "./checks.js";

/**
 * `virtualMachineConfiguration` of a new pool, by the service's rules (SPEC models.tsp
 * `VirtualMachineConfiguration`, `DataDisk`, `OSDisk`, `SecurityProfile`, ...). The disk, placement,
 * encryption and security settings describe a VM Malachite does not have: they are checked and
 * kept, with no local effect. What would need a VM Malachite cannot give is refused, by its full
 * path, with the reason (the same reasons the REST layer gives).
 */

const NOT_WINDOWS = "Malachite's compute nodes are Linux containers; Windows settings have nothing to apply to.";

/** Properties below `virtualMachineConfiguration` that Malachite refuses, and why. */
export const UNEMULATED_VM_PROPERTIES = {
  windowsConfiguration: NOT_WINDOWS,
  licenseType: `${NOT_WINDOWS} (licenseType applies to Windows images only.)`,
  extensions: "Malachite's compute nodes run no VM extensions.",
  serviceArtifactReference: "Malachite's compute nodes are not created from a VM image, so there is no service artifact to pin.",
} satisfies Record<string, string>;

/** Properties below `virtualMachineConfiguration.imageReference` that Malachite refuses, and why. */
export const UNEMULATED_IMAGE_PROPERTIES = {
  sharedGalleryImageId: "Malachite's compute nodes run the node image on the local Docker engine, not a gallery image.",
  communityGalleryImageId: "Malachite's compute nodes run the node image on the local Docker engine, not a gallery image.",
} satisfies Record<string, string>;

export const CACHING_TYPES = ["none", "readonly", "readwrite"] as const;
export const STORAGE_ACCOUNT_TYPES = ["standard_lrs", "premium_lrs", "standardssd_lrs"] as const;
export const EPHEMERAL_OS_DISK_PLACEMENTS = ["cachedisk"] as const;
export const NODE_PLACEMENT_POLICIES = ["regional", "zonal"] as const;
export const SECURITY_TYPES = ["trustedLaunch", "confidentialVM"] as const;
export const SECURITY_ENCRYPTION_TYPES = ["NonPersistedTPM", "VMGuestStateOnly"] as const;
export const DISK_ENCRYPTION_TARGETS = ["osdisk", "temporarydisk"] as const;

/** The service's LUN range: up to 64 data disks per VM. */
const MAX_LUN = 63;

/** An enum value, matched without regard to case as the service's reader matches it. */
function optionalEnumIgnoringCase(name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !allowed.some((known) => known.toLowerCase() === value.toLowerCase())) {
    throw BatchErrors.invalidPropertyValue(name, value, `The value must be one of: ${allowed.join(", ")}.`);
  }
}

function requireInteger(name: string, value: unknown, min: number, max?: number): void {
  if (value === undefined || value === null) throw BatchErrors.missingProperty(name);
  optionalInteger(name, value, min, max);
}

function refuseUnemulated(prefix: string, input: Record<string, unknown>, refusals: Record<string, string>): void {
  for (const [key, reason] of Object.entries(refusals)) {
    if (input[key] !== undefined && input[key] !== null) throw BatchErrors.unsupportedProperty(`${prefix}.${key}`, reason);
  }
}

function validateDataDisks(name: string, value: unknown): void {
  const luns = new Set<number>();
  optionalArray(name, value).forEach((entry, index) => {
    const at = `${name}[${index}]`;
    const disk = optionalObject(at, entry);
    if (!disk) throw BatchErrors.missingProperty(at);
    requireInteger(`${at}.lun`, disk.lun, 0, MAX_LUN);
    if (luns.has(disk.lun as number)) throw BatchErrors.invalidPropertyValue(`${at}.lun`, disk.lun, "Each data disk must have a distinct lun.");
    luns.add(disk.lun as number);
    requireInteger(`${at}.diskSizeGB`, disk.diskSizeGB, 1);
    optionalEnumIgnoringCase(`${at}.caching`, disk.caching, CACHING_TYPES);
    optionalEnumIgnoringCase(`${at}.storageAccountType`, disk.storageAccountType, STORAGE_ACCOUNT_TYPES);
  });
}

function validateOsDisk(name: string, value: unknown): void {
  const disk = optionalObject(name, value);
  if (!disk) return;
  const ephemeral = optionalObject(`${name}.ephemeralOSDiskSettings`, disk.ephemeralOSDiskSettings);
  optionalEnumIgnoringCase(`${name}.ephemeralOSDiskSettings.placement`, ephemeral?.placement, EPHEMERAL_OS_DISK_PLACEMENTS);
  optionalEnumIgnoringCase(`${name}.caching`, disk.caching, CACHING_TYPES);
  optionalInteger(`${name}.diskSizeGB`, disk.diskSizeGB, 1);
  const managed = optionalObject(`${name}.managedDisk`, disk.managedDisk);
  optionalEnumIgnoringCase(`${name}.managedDisk.storageAccountType`, managed?.storageAccountType, STORAGE_ACCOUNT_TYPES);
  const security = optionalObject(`${name}.managedDisk.securityProfile`, managed?.securityProfile);
  optionalEnumIgnoringCase(`${name}.managedDisk.securityProfile.securityEncryptionType`, security?.securityEncryptionType, SECURITY_ENCRYPTION_TYPES);
  optionalBoolean(`${name}.writeAcceleratorEnabled`, disk.writeAcceleratorEnabled);
}

function validateSecurityProfile(name: string, value: unknown): void {
  const profile = optionalObject(name, value);
  if (!profile) return;
  optionalBoolean(`${name}.encryptionAtHost`, profile.encryptionAtHost);
  optionalEnumIgnoringCase(`${name}.securityType`, profile.securityType, SECURITY_TYPES);
  const uefi = optionalObject(`${name}.uefiSettings`, profile.uefiSettings);
  optionalBoolean(`${name}.uefiSettings.secureBootEnabled`, uefi?.secureBootEnabled);
  optionalBoolean(`${name}.uefiSettings.vTpmEnabled`, uefi?.vTpmEnabled);
}

/** The service's rules for `virtualMachineConfiguration`; throws its 400 error, naming the full path. */
export function validateVirtualMachineConfiguration(name: string, value: unknown): void {
  const configuration = optionalObject(name, value);
  if (!configuration) return;
  refuseUnemulated(name, configuration, UNEMULATED_VM_PROPERTIES);
  const image = optionalObject(`${name}.imageReference`, configuration.imageReference);
  if (!image) throw BatchErrors.missingProperty(`${name}.imageReference`);
  refuseUnemulated(`${name}.imageReference`, image, UNEMULATED_IMAGE_PROPERTIES);
  requireString(`${name}.nodeAgentSKUId`, configuration.nodeAgentSKUId);
  validateDataDisks(`${name}.dataDisks`, configuration.dataDisks);
  validateOsDisk(`${name}.osDisk`, configuration.osDisk);
  const placement = optionalObject(`${name}.nodePlacementConfiguration`, configuration.nodePlacementConfiguration);
  optionalEnumIgnoringCase(`${name}.nodePlacementConfiguration.policy`, placement?.policy, NODE_PLACEMENT_POLICIES);
  validateSecurityProfile(`${name}.securityProfile`, configuration.securityProfile);
  const encryption = optionalObject(`${name}.diskEncryptionConfiguration`, configuration.diskEncryptionConfiguration);
  optionalArray(`${name}.diskEncryptionConfiguration.targets`, encryption?.targets).forEach((target, index) =>
    optionalEnumIgnoringCase(`${name}.diskEncryptionConfiguration.targets[${index}]`, target, DISK_ENCRYPTION_TARGETS),
  );
}
