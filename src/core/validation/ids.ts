import { BatchErrors } from "../batch-errors.js";

const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_ID_LENGTH = 64;

/**
 * Checks an entity id against the service's rules: letters, digits, hyphens and underscores,
 * 1 to 64 characters. Ids are case-preserving and compared case-insensitively.
 */
export function validateId(propertyName: string, id: unknown): string {
  if (id === undefined || id === null || id === "") throw BatchErrors.missingProperty(propertyName);
  if (typeof id !== "string") throw BatchErrors.invalidPropertyValue(propertyName, id, "The id must be a string.");
  if (id.length > MAX_ID_LENGTH) {
    throw BatchErrors.invalidPropertyValue(propertyName, id, `The id must not be longer than ${MAX_ID_LENGTH} characters.`);
  }
  if (!ID_PATTERN.test(id)) {
    throw BatchErrors.invalidPropertyValue(
      propertyName,
      id,
      "The id can contain any combination of alphanumeric characters including hyphens and underscores.",
    );
  }
  return id;
}

/** The key under which an id is stored: ids differing only by case are the same entity. */
export function idKey(id: string): string {
  return id.toLowerCase();
}
