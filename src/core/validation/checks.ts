import { BatchErrors } from "../batch-errors.js";
import { parseDuration } from "./durations.js";

/** Small property checks shared by the validators; each throws the service's 400 error. */

export function requireString(name: string, value: unknown): string {
  if (value === undefined || value === null || value === "") throw BatchErrors.missingProperty(name);
  if (typeof value !== "string") throw BatchErrors.invalidPropertyValue(name, value, "The value must be a string.");
  return value;
}

export function optionalString(name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "string") {
    throw BatchErrors.invalidPropertyValue(name, value, "The value must be a string.");
  }
}

export function optionalInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw BatchErrors.invalidPropertyValue(name, value, `The value must be an integer from ${min} to ${max}.`);
  }
}

export function optionalBoolean(name: string, value: unknown): void {
  if (value !== undefined && value !== null && typeof value !== "boolean") {
    throw BatchErrors.invalidPropertyValue(name, value, "The value must be true or false.");
  }
}

export function optionalDuration(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") throw BatchErrors.invalidPropertyValue(name, value, "The value must be an ISO 8601 duration.");
  parseDuration(name, value);
}

export function optionalEnum(name: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    throw BatchErrors.invalidPropertyValue(name, value, `The value must be one of: ${allowed.join(", ")}.`);
  }
}

export function optionalArray(name: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw BatchErrors.invalidPropertyValue(name, "(not a list)", "The value must be a list.");
  return value;
}

export function optionalObject(name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw BatchErrors.invalidPropertyValue(name, "(not an object)", "The value must be an object.");
  return value as Record<string, unknown>;
}

/** A relative path that stays inside the working directory. */
export function optionalRelativePath(name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const path = requireString(name, value);
  if (path.startsWith("/") || path.split(/[\\/]/).includes("..")) {
    throw BatchErrors.invalidPropertyValue(name, path, "The path must be relative to the working directory and must not contain '..'.");
  }
}
