import { BatchError, isBatchError } from "../batch-error.js";

/**
 * Runs the checks of a type that also appears inside another (a pool add's checks on an auto
 * pool's `pool`) and names the property they refuse by its full path, as the service does
 * (`poolInfo.autoPoolSpecification.pool.vmSize`).
 */
export function checkNested<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!isBatchError(error) || !error.values.some((detail) => detail.key === "PropertyName")) throw error;
    const values = error.values.map((detail) => (detail.key === "PropertyName" ? { key: detail.key, value: `${prefix}.${detail.value}` } : detail));
    throw new BatchError(error.statusCode, error.code, error.message, values);
  }
}
