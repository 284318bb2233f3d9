import type { DisableJobOption } from "../../../core/models/index.js";
import { object, required, type Parser } from "../body-schema.js";
import { enumOf } from "../body-values.js";

export interface JobDisableParameter {
  disableTasks: DisableJobOption;
}

/** `POST /jobs/{jobId}/disable` (SPEC models.tsp `BatchJobDisableOptions`): `disableTasks` is required. */
export const parseJobDisable: Parser<JobDisableParameter> = object("JobDisableParameter", {
  disableTasks: required(enumOf(["requeue", "terminate", "wait"])),
});
