import type {
  ApplicationPackageReference,
  ContainerRegistry,
  EnvironmentSetting,
  MetadataItem,
  ResourceFile,
  TaskContainerSettings,
  UserIdentity,
} from "../../../core/models/index.js";
import { arrayOf, object, optional, required, unsupported, type Parser } from "../body-schema.js";
import { boolean, enumOf, string } from "../body-values.js";

/**
 * Parts shared by pools, jobs and tasks, with the REST model's property names (SPEC
 * `Azure.Batch/models.tsp`; @azure/batch 10.2.0's mappers for api-version 2022-10-01.16.0).
 */

/** `identityReference` (a pool's user-assigned managed identity) appears in several models. */
export const NO_MANAGED_IDENTITY = unsupported("Malachite has no managed identities; use a SAS URL or registry credentials instead.");

export const metadata: Parser<MetadataItem[]> = arrayOf(object("MetadataItem", { name: required(string), value: required(string) }));

export const environmentSettings: Parser<EnvironmentSetting[]> = arrayOf(object("EnvironmentSetting", { name: required(string), value: optional(string) }));

export const resourceFiles: Parser<ResourceFile[]> = arrayOf(
  object("ResourceFile", {
    autoStorageContainerName: optional(string),
    storageContainerUrl: optional(string),
    httpUrl: optional(string),
    blobPrefix: optional(string),
    filePath: optional(string),
    fileMode: optional(string),
    identityReference: NO_MANAGED_IDENTITY,
  }),
);

export const userIdentity: Parser<UserIdentity> = object("UserIdentity", {
  username: optional(string),
  autoUser: optional(
    object("AutoUserSpecification", {
      scope: optional(enumOf(["task", "pool"])),
      elevationLevel: optional(enumOf(["nonadmin", "admin"])),
    }),
  ),
});

export const containerRegistry: Parser<ContainerRegistry> = object("ContainerRegistry", {
  username: optional(string),
  password: optional(string),
  registryServer: optional(string),
  identityReference: NO_MANAGED_IDENTITY,
});

/** `containerHostBatchBindMounts[].source` (SPEC models.tsp `ContainerHostDataPath`). */
const BIND_MOUNT_SOURCES = ["Shared", "Startup", "VfsMounts", "Task", "JobPrep", "Applications"] as const;

export const taskContainerSettings: Parser<TaskContainerSettings> = object("TaskContainerSettings", {
  containerRunOptions: optional(string),
  imageName: required(string),
  registry: optional(containerRegistry),
  workingDirectory: optional(enumOf(["taskWorkingDirectory", "containerImageDefault"])),
  containerHostBatchBindMounts: optional(
    arrayOf(object("ContainerHostBatchBindMountEntry", { source: required(enumOf(BIND_MOUNT_SOURCES)), isReadOnly: optional(boolean) })),
  ),
});

/** `applicationPackageReferences[]` of pools and tasks (SPEC models.tsp `BatchApplicationPackageReference`). */
export const applicationPackageReferences: Parser<ApplicationPackageReference[]> = arrayOf(
  object("ApplicationPackageReference", { applicationId: required(string), version: optional(string) }),
);
