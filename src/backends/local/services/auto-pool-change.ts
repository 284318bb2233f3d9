import { isDeepStrictEqual } from "node:util";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { AutoPoolSpecification, CloudJob, PoolInformation } from "../../../core/models/index.js";
import { poolInfoAsKept } from "./auto-pools.js";

/** The specification but `keepAlive`, as kept (no secrets) and as JSON has it (no undefined members). */
function withoutKeepAlive(specification: AutoPoolSpecification): unknown {
  const { keepAlive: _, ...rest } = poolInfoAsKept({ autoPoolSpecification: specification }).autoPoolSpecification as AutoPoolSpecification;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

/**
 * What Job_Patch and Job_Update may do to a job's auto pool: "If you specify an
 * autoPoolSpecification in the poolInfo, only the keepAlive property of the
 * autoPoolSpecification can be updated, and then only if the autoPoolSpecification has a
 * poolLifetimeOption of Job" (REST `JobPatchParameter.poolInfo`). A job cannot move between an
 * existing pool and an auto pool that way either: the service documents no such change. Answers
 * the job's `poolInfo` itself when nothing changes.
 */
export function changedAutoPoolInfo(job: CloudJob, given: PoolInformation): PoolInformation {
  const current = job.poolInfo.autoPoolSpecification;
  const next = given.autoPoolSpecification;
  if (!current || !next) {
    const property = next ? "poolInfo.autoPoolSpecification" : "poolInfo.poolId";
    throw BatchErrors.invalidPropertyValue(property, next ? "(auto pool)" : given.poolId, "Only keepAlive of a job's auto pool specification can be updated.");
  }
  if (!isDeepStrictEqual(withoutKeepAlive(current), withoutKeepAlive(next))) {
    throw BatchErrors.invalidPropertyValue("poolInfo.autoPoolSpecification", "(changed)", "Only keepAlive of a job's auto pool specification can be updated.");
  }
  if ((next.keepAlive ?? false) === (current.keepAlive ?? false)) return job.poolInfo;
  if (current.poolLifetimeOption !== "job") {
    throw BatchErrors.invalidPropertyValue(
      "poolInfo.autoPoolSpecification.keepAlive",
      next.keepAlive,
      "keepAlive can be updated only for an auto pool whose poolLifetimeOption is job.",
    );
  }
  return { autoPoolSpecification: { ...current, keepAlive: next.keepAlive ?? false } };
}
