import { BatchError } from "../../src/core/batch-error.js";

/** The BatchError `fn` throws; fails the test when it throws nothing or something else. */
export function errorOf(fn: () => unknown): BatchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BatchError) return error;
    throw error;
  }
  throw new Error("expected a BatchError");
}
