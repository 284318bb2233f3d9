import { BatchError } from "../../src/core/batch-error.js";

/** The BatchError a backend call fails with; any other outcome fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<BatchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BatchError) return error;
    throw error;
  }
  throw new Error("expected the call to fail with a BatchError");
}
