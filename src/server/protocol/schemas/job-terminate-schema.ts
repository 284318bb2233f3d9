import { object, optional, type Parser } from "../body-schema.js";
import { string } from "../body-values.js";

export interface JobTerminateParameter {
  terminateReason?: string;
}

/** `POST /jobs/{jobId}/terminate`, whose body is optional (SPEC models.tsp `BatchJobTerminateOptions`). */
export const parseJobTerminate: Parser<JobTerminateParameter> = object("JobTerminateParameter", { terminateReason: optional(string) });
