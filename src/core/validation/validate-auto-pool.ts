import { BatchErrors } from "../batch-errors.js";
import type { PoolAddParameter } from "../models/index.js";
import { optionalBoolean, optionalEnum, optionalObject } from "./checks.js";
import { validateId } from "./ids.js";
import { checkNested } from "./nested-property.js";
import { validatePoolAdd } from "./validate-add.js";

/** "The prefix can be up to 20 characters long." (REST `AutoPoolSpecification.autoPoolIdPrefix`). */
export const MAX_AUTO_POOL_ID_PREFIX_LENGTH = 20;

/** Stands in for the id an auto pool's `pool` lacks, so that it is checked by the pool add rules. */
export const AUTO_POOL_SPECIFICATION_ID = "autoPool";

/** Where a job is given: on its own (`Job_Add`), or as a job schedule's `jobSpecification`. */
export type JobOwner = "job" | "jobSchedule";

/**
 * The service's rules for `poolInfo`: a pool id or an auto pool, not both ("You must specify either
 * the Pool ID or the auto Pool specification, but not both", REST `PoolInformation`).
 */
export function validatePoolInfo(prefix: string, poolInfo: Record<string, unknown>, owner: JobOwner): void {
  const auto = optionalObject(`${prefix}.autoPoolSpecification`, poolInfo.autoPoolSpecification);
  if (!auto) {
    validateId(`${prefix}.poolId`, poolInfo.poolId);
    return;
  }
  if (poolInfo.poolId !== undefined) {
    throw BatchErrors.invalidPropertyValue(`${prefix}.poolId`, poolInfo.poolId, "Specify either the pool id or the auto pool specification, but not both.");
  }
  validateAutoPoolSpecification(`${prefix}.autoPoolSpecification`, auto, owner);
}

/**
 * An auto pool: its id prefix (up to 20 characters, and with the id it is put before, a valid
 * pool id), its lifetime ("jobschedule ... You may apply this option only to job schedules, not
 * to jobs", REST `PoolLifetimeOption`), and its `pool`, checked by the pool add rules.
 */
function validateAutoPoolSpecification(prefix: string, auto: Record<string, unknown>, owner: JobOwner): void {
  const idPrefix = auto.autoPoolIdPrefix;
  if (idPrefix !== undefined) {
    if (typeof idPrefix !== "string" || idPrefix.length > MAX_AUTO_POOL_ID_PREFIX_LENGTH) {
      throw BatchErrors.invalidPropertyValue(
        `${prefix}.autoPoolIdPrefix`,
        idPrefix,
        `The prefix must be a string of at most ${MAX_AUTO_POOL_ID_PREFIX_LENGTH} characters.`,
      );
    }
    if (idPrefix !== "") validateId(`${prefix}.autoPoolIdPrefix`, idPrefix);
  }
  if (auto.poolLifetimeOption === undefined) throw BatchErrors.missingProperty(`${prefix}.poolLifetimeOption`);
  optionalEnum(`${prefix}.poolLifetimeOption`, auto.poolLifetimeOption, ["job", "jobschedule"]);
  if (auto.poolLifetimeOption === "jobschedule" && owner === "job") {
    throw BatchErrors.invalidPropertyValue(
      `${prefix}.poolLifetimeOption`,
      auto.poolLifetimeOption,
      "The jobschedule lifetime applies only to job schedules, not to jobs.",
    );
  }
  optionalBoolean(`${prefix}.keepAlive`, auto.keepAlive);
  const pool = optionalObject(`${prefix}.pool`, auto.pool);
  if (!pool) throw BatchErrors.missingProperty(`${prefix}.pool`);
  checkNested(`${prefix}.pool`, () => validatePoolAdd({ ...(pool as unknown as PoolAddParameter), id: AUTO_POOL_SPECIFICATION_ID }));
}
