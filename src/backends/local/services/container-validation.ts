import { BatchErrors } from "../../../core/batch-errors.js";
import type { ContainerRegistry } from "../../../core/models/index.js";
import { optionalArray, optionalBoolean, optionalEnum, optionalObject, optionalString, requireString } from "../../../core/validation/checks.js";
import { BIND_MOUNT_SOURCES, type ContainerSettings } from "../execution/container-task.js";

/** `containerConfiguration.type`: `docker` in the 2017 API, then `dockerCompatible` / `criCompatible`. */
const CONTAINER_TYPES = ["docker", "dockerCompatible", "criCompatible"];

function validateRegistry(name: string, value: unknown): void {
  const registry = optionalObject(name, value);
  if (!registry) return;
  for (const key of ["registryServer", "username", "password"]) optionalString(`${name}.${key}`, registry[key]);
  optionalObject(`${name}.identityReference`, registry.identityReference);
}

/** The service's rules for `virtualMachineConfiguration.containerConfiguration`. */
export function validateContainerConfiguration(name: string, value: unknown): void {
  const configuration = optionalObject(name, value);
  if (!configuration) return;
  const type = requireString(`${name}.type`, configuration.type);
  const canonical = CONTAINER_TYPES.find((known) => known.toLowerCase() === type.toLowerCase());
  optionalEnum(`${name}.type`, canonical ?? type, CONTAINER_TYPES);
  optionalArray(`${name}.containerImageNames`, configuration.containerImageNames).forEach((image, index) =>
    requireString(`${name}.containerImageNames[${index}]`, image),
  );
  optionalArray(`${name}.containerRegistries`, configuration.containerRegistries).forEach((registry, index) =>
    validateRegistry(`${name}.containerRegistries[${index}]`, registry),
  );
}

/** The service's rules for a task's or start task's `containerSettings`. */
export function validateContainerSettings(name: string, value: unknown): void {
  const settings = optionalObject(name, value);
  if (!settings) return;
  requireString(`${name}.imageName`, settings.imageName);
  optionalString(`${name}.containerRunOptions`, settings.containerRunOptions);
  optionalEnum(`${name}.workingDirectory`, settings.workingDirectory, ["taskWorkingDirectory", "containerImageDefault"]);
  validateRegistry(`${name}.registry`, settings.registry);
  optionalArray(`${name}.containerHostBatchBindMounts`, settings.containerHostBatchBindMounts).forEach((entry, index) => {
    const at = `${name}.containerHostBatchBindMounts[${index}]`;
    const mount = optionalObject(at, entry);
    if (!mount) throw BatchErrors.missingProperty(at);
    const source = requireString(`${at}.source`, mount.source);
    if (!Object.keys(BIND_MOUNT_SOURCES).some((known) => known.toLowerCase() === source.toLowerCase())) {
      throw BatchErrors.invalidPropertyValue(`${at}.source`, source, `The value must be one of: ${Object.keys(BIND_MOUNT_SOURCES).join(", ")}.`);
    }
    optionalBoolean(`${at}.isReadOnly`, mount.isReadOnly);
  });
}

/**
 * A registry as Malachite keeps it: without its password. Registries are accepted so that the
 * same pool and task definitions run on Azure, but the local engine never pulls, so credentials
 * are neither used, stored, returned nor logged.
 */
export function withoutPassword(registry: ContainerRegistry): ContainerRegistry {
  const { password: _password, ...rest } = registry;
  return rest;
}

export function containerSettingsWithoutSecrets<T extends ContainerSettings | undefined>(settings: T): T {
  if (!settings?.registry) return settings;
  return { ...settings, registry: withoutPassword(settings.registry) };
}
