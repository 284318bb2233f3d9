import { BatchErrors } from "../batch-errors.js";
import { optionalArray, optionalEnum, optionalInteger, optionalObject, optionalRelativePath, optionalString, requireString } from "./checks.js";

/** Validates `resourceFiles[]`: exactly one source each, a safe `filePath`, an octal `fileMode`. */
export function validateResourceFiles(name: string, value: unknown): void {
  optionalArray(name, value).forEach((item, index) => {
    const at = `${name}[${index}]`;
    const file = optionalObject(at, item) ?? {};
    const sources = ["httpUrl", "storageContainerUrl", "autoStorageContainerName"].filter((key) => file[key] !== undefined && file[key] !== null);
    if (sources.length === 0) throw BatchErrors.missingProperty(`${at}.httpUrl`);
    if (sources.length > 1) {
      throw BatchErrors.invalidPropertyValue(
        at,
        sources.join(","),
        "Exactly one of httpUrl, storageContainerUrl and autoStorageContainerName must be specified.",
      );
    }
    for (const source of sources) requireString(`${at}.${source}`, file[source]);
    if (file.httpUrl !== undefined) requireString(`${at}.filePath`, file.filePath);
    if (file.blobPrefix !== undefined && file.httpUrl !== undefined) {
      throw BatchErrors.invalidPropertyValue(`${at}.blobPrefix`, file.blobPrefix, "blobPrefix is only allowed with a container source.");
    }
    optionalRelativePath(`${at}.filePath`, file.filePath);
    optionalString(`${at}.fileMode`, file.fileMode);
    if (typeof file.fileMode === "string" && !/^0?[0-7]{3}$/.test(file.fileMode)) {
      throw BatchErrors.invalidPropertyValue(`${at}.fileMode`, file.fileMode, "The file mode must be an octal number such as 0770.");
    }
  });
}

/** Validates `outputFiles[]`. */
export function validateOutputFiles(name: string, value: unknown): void {
  optionalArray(name, value).forEach((item, index) => {
    const at = `${name}[${index}]`;
    const file = optionalObject(at, item) ?? {};
    requireString(`${at}.filePattern`, file.filePattern);
    const destination = optionalObject(`${at}.destination`, file.destination);
    const container = optionalObject(`${at}.destination.container`, destination?.container);
    if (!container) throw BatchErrors.missingProperty(`${at}.destination.container`);
    requireString(`${at}.destination.container.containerUrl`, container.containerUrl);
    optionalString(`${at}.destination.container.path`, container.path);
    const options = optionalObject(`${at}.uploadOptions`, file.uploadOptions);
    if (!options) throw BatchErrors.missingProperty(`${at}.uploadOptions`);
    optionalEnum(`${at}.uploadOptions.uploadCondition`, options.uploadCondition, ["tasksuccess", "taskfailure", "taskcompletion"]);
  });
}

/** Validates `environmentSettings[]`. */
export function validateEnvironmentSettings(name: string, value: unknown): void {
  optionalArray(name, value).forEach((item, index) => {
    const setting = optionalObject(`${name}[${index}]`, item) ?? {};
    requireString(`${name}[${index}].name`, setting.name);
    optionalString(`${name}[${index}].value`, setting.value);
  });
}

/** Validates a `userIdentity`: an auto-user (scope, elevation) or a named user, not both. */
export function validateUserIdentity(name: string, value: unknown): void {
  const identity = optionalObject(name, value);
  if (!identity) return;
  const autoUser = optionalObject(`${name}.autoUser`, identity.autoUser);
  if (autoUser && identity.username !== undefined) {
    throw BatchErrors.invalidPropertyValue(name, "username,autoUser", "Specify either username or autoUser, not both.");
  }
  optionalString(`${name}.username`, identity.username);
  optionalEnum(`${name}.autoUser.scope`, autoUser?.scope, ["task", "pool"]);
  optionalEnum(`${name}.autoUser.elevationLevel`, autoUser?.elevationLevel, ["nonadmin", "admin"]);
}

export function validateRetryCount(name: string, value: unknown): void {
  optionalInteger(name, value, -1);
}
