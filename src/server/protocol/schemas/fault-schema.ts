import { BatchErrors } from "../../../core/batch-errors.js";
import { FAULT_TYPES, type FaultRequest } from "../../../core/faults.js";
import { object, optional, required, type Parser } from "../body-schema.js";
import { enumOf, integer, string } from "../body-values.js";

const parseFields = object("Fault", {
  type: required(enumOf(FAULT_TYPES)),
  poolId: optional(string),
  nodeId: optional(string),
  jobId: optional(string),
  taskId: optional(string),
  count: optional(integer({ min: 1, max: 1000 })),
  delayMs: optional(integer({ min: 0, max: 86_400_000 })),
});

type Fields = ReturnType<typeof parseFields>;

function need(fields: Fields, name: "poolId" | "nodeId" | "jobId" | "taskId" | "delayMs"): void {
  if (fields[name] === undefined) throw BatchErrors.missingProperty(name);
}

/** `POST /malachite/faults`: one fault, its fields checked for its type (see src/core/faults.ts). */
export const parseFault: Parser<FaultRequest> = (value, path) => {
  const fields = parseFields(value, path);
  const { type, poolId = "", nodeId = "", jobId = "", taskId = "", count, delayMs = 0 } = fields;
  switch (type) {
    case "killNode":
    case "preemptNode":
      need(fields, "poolId");
      need(fields, "nodeId");
      return { type, poolId, nodeId };
    case "failStartTask":
      need(fields, "poolId");
      return count === undefined ? { type, poolId } : { type, poolId, count };
    case "failResourceFiles":
      need(fields, "jobId");
      need(fields, "taskId");
      return { type, jobId, taskId };
    case "slowNode":
      need(fields, "poolId");
      need(fields, "nodeId");
      need(fields, "delayMs");
      return { type, poolId, nodeId, delayMs };
  }
};
