import type { ComputeNodeRebootOption, DisableComputeNodeSchedulingOption, UploadBatchServiceLogsConfiguration } from "../../../core/models/index.js";
import { BatchErrors } from "../../../core/batch-errors.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { dateTime, enumOf, string } from "../body-values.js";
import { NO_MANAGED_IDENTITY } from "./common-schemas.js";

const NODE_STOP_OPTIONS = ["requeue", "terminate", "taskcompletion", "retaineddata"] as const;

/** `POST …/reboot` (SPEC models.tsp `BatchNodeRebootOptions`, Swagger `NodeRebootParameter`). */
export const parseNodeReboot: Parser<{ nodeRebootOption?: ComputeNodeRebootOption }> = object("NodeRebootParameter", {
  nodeRebootOption: optional(enumOf(NODE_STOP_OPTIONS)),
});

/** `POST …/reimage` (SPEC `BatchNodeReimageOptions`, Swagger `NodeReimageParameter`). */
export const parseNodeReimage: Parser<{ nodeReimageOption?: ComputeNodeRebootOption }> = object("NodeReimageParameter", {
  nodeReimageOption: optional(enumOf(NODE_STOP_OPTIONS)),
});

/** `POST …/deallocate` (SPEC `BatchNodeDeallocateOptions`, api-version 2024-07-01.20.0). */
export const parseNodeDeallocate: Parser<{ nodeDeallocateOption?: ComputeNodeRebootOption }> = object("NodeDeallocateParameter", {
  nodeDeallocateOption: optional(enumOf(NODE_STOP_OPTIONS)),
});

/** `POST …/disablescheduling` (SPEC `BatchNodeDisableSchedulingOptions`, Swagger `NodeDisableSchedulingParameter`). */
export const parseNodeDisableScheduling: Parser<{ nodeDisableSchedulingOption?: DisableComputeNodeSchedulingOption }> = object(
  "NodeDisableSchedulingParameter",
  { nodeDisableSchedulingOption: optional(enumOf(["requeue", "terminate", "taskcompletion"])) },
);

/** An absolute http(s) URL; an error echoes it without its query, so a SAS is never shown. */
const containerUrl: Parser<string> = (value, path) => {
  const text = string(value, path);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw BatchErrors.invalidPropertyValue(path, text.split("?")[0], "The value must be the URL of a blob container, with a SAS granting write access.");
  return text;
};

/** `POST …/uploadbatchservicelogs` (SPEC `UploadBatchServiceLogsOptions`, Swagger `UploadBatchServiceLogsConfiguration`). */
export const parseUploadBatchServiceLogs: Parser<UploadBatchServiceLogsConfiguration> = object("UploadBatchServiceLogsConfiguration", {
  containerUrl: required(containerUrl),
  startTime: required(dateTime),
  endTime: optional(dateTime),
  identityReference: NO_MANAGED_IDENTITY,
});
