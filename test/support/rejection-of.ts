import type { RestError } from "@azure/ms-rest-js";
import { BatchError } from "../../src/core/batch-error.js";

/** The BatchError `promise` rejects with; fails the test when it resolves or rejects with something else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<BatchError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error("expected a BatchError, but the call succeeded");
  if (outcome.error instanceof BatchError) return outcome.error;
  throw outcome.error;
}

/** The error an official SDK call rejects with (a RestError carrying the service's answer); fails the test when the call succeeds. */
export async function restErrorOf(call: Promise<unknown>): Promise<RestError> {
  const outcome = await call.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error("expected the call to fail");
  return outcome.error as RestError;
}
