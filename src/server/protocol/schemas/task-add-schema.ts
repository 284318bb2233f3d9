import type { OutputFile, TaskAddParameter, TaskConstraints } from "../../../core/models/index.js";
import { arrayOf, object, optional, required, unsupported, type Parser } from "../body-schema.js";
import { duration, enumOf, integer, string } from "../body-values.js";
import {
  applicationPackageReferences,
  environmentSettings,
  NO_MANAGED_IDENTITY,
  resourceFiles,
  taskContainerSettings,
  userIdentity,
} from "./common-schemas.js";
import { exitConditions, taskDependencies } from "./task-dependencies-schema.js";
import { multiInstanceSettings } from "./multi-instance-schema.js";

/** `POST /jobs/{jobId}/tasks` and each task of `addtaskcollection` (SPEC models.tsp `BatchTaskCreateOptions`). */

export const outputFile: Parser<OutputFile> = object("OutputFile", {
  filePattern: required(string),
  destination: required(
    object("OutputFileDestination", {
      container: required(
        object("OutputFileBlobContainerDestination", {
          path: optional(string),
          containerUrl: required(string),
          identityReference: NO_MANAGED_IDENTITY,
          uploadHeaders: optional(arrayOf(object("HttpHeader", { name: required(string), value: optional(string) }))),
        }),
      ),
    }),
  ),
  uploadOptions: required(object("OutputFileUploadOptions", { uploadCondition: required(enumOf(["tasksuccess", "taskfailure", "taskcompletion"])) })),
});

export const constraints: Parser<TaskConstraints> = object("TaskConstraints", {
  maxWallClockTime: optional(duration),
  retentionTime: optional(duration),
  maxTaskRetryCount: optional(integer()),
});

export const parseTaskAdd: Parser<TaskAddParameter> = object("TaskAddParameter", {
  id: required(string),
  displayName: optional(string),
  commandLine: required(string),
  containerSettings: optional(taskContainerSettings),
  resourceFiles: optional(resourceFiles),
  outputFiles: optional(arrayOf(outputFile)),
  environmentSettings: optional(environmentSettings),
  constraints: optional(constraints),
  requiredSlots: optional(integer()),
  userIdentity: optional(userIdentity),
  exitConditions: optional(exitConditions),
  affinityInfo: unsupported(),
  multiInstanceSettings: optional(multiInstanceSettings),
  dependsOn: optional(taskDependencies),
  applicationPackageReferences: optional(applicationPackageReferences),
  authenticationTokenSettings: unsupported(),
});
