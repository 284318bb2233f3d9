import type { PoolPlacement, TaskContainerImage } from "../../core/backend.js";
import { ConfigError, type AzureBackendConfig } from "../../core/config/config.js";
import type { ImageReference } from "../../core/models/index.js";
import { settingName, variableName } from "./azure-settings.js";
import { isImageReference, registryOfImage } from "./image-registry.js";

export const DEFAULT_VM_SIZE = "standard_d2s_v3";
/** A container-capable Ubuntu image with Docker preinstalled, as Batch publishes it. */
export const DEFAULT_VM_IMAGE = "microsoft-dsvm:ubuntu-hpc:2204:latest";
export const DEFAULT_NODE_AGENT_SKU = "batch.node.ubuntu 22.04";

/** Blob storage: a connection string (with an account key) or an account name and key. */
export type ResolvedStorage = { connectionString: string } | { accountName: string; accountKey: string; blobEndpoint: string };

/** The Azure settings after the check: everything present, well-formed, defaults filled in. */
export interface ResolvedAzureConfig {
  batch: { accountName: string; accountKey: string; endpoint: string };
  storage: ResolvedStorage;
  taskContainer: TaskContainerImage & { registry: NonNullable<TaskContainerImage["registry"]> };
  poolPlacement: PoolPlacement;
}

/** A base64 key as Azure hands them out (Batch and Storage account keys). */
function isBase64(value: string): boolean {
  return value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** An endpoint as it may be shown: no user info, no query string (neither belongs there, and either could hold a secret). */
function shownEndpoint(value: string): string {
  return value.replace(/^([^/]*\/\/)?[^/@]*@/, "$1").replace(/[?#].*$/, "");
}

/** Collects every problem, so one run tells the user everything to fix. */
class Problems {
  readonly list: string[] = [];
  add(problem: string): undefined {
    this.list.push(problem);
    return undefined;
  }
}

function required(config: AzureBackendConfig, key: keyof AzureBackendConfig, what: string, problems: Problems): string | undefined {
  return present(config[key]) ?? problems.add(`set ${settingName(key)} to ${what}`);
}

function checkEndpoint(value: string | undefined, problems: Problems): string | undefined {
  if (value === undefined) return undefined;
  const shown = shownEndpoint(value);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    return problems.add(`${variableName("batchEndpoint")} '${shown}' has no scheme: add https:// (https://${shown.replace(/^\/+/, "")})`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problems.add(
      `${variableName("batchEndpoint")} '${shown}' is not a URL: give the account endpoint, e.g. https://myaccount.westeurope.batch.azure.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return problems.add(`${variableName("batchEndpoint")} must be an https:// URL (http:// only for a local endpoint), not ${url.protocol}//`);
  }
  if (url.username || url.password || url.search || url.hash) {
    return problems.add(`${variableName("batchEndpoint")} must be the bare account URL, without user info, query string or fragment (${url.origin})`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function checkKey(value: string | undefined, key: keyof AzureBackendConfig, problems: Problems): string | undefined {
  if (value === undefined) return undefined;
  return isBase64(value) ? value : problems.add(`${settingName(key)} is not a base64 account key: copy the key itself (it ends in '=' or '==')`);
}

/** `Key=Value;...` fields with lower-cased keys (values may contain `=`). */
function connectionStringFields(connectionString: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const equals = part.indexOf("=");
    if (equals > 0) fields.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  return fields;
}

function checkConnectionString(connectionString: string, problems: Problems): ResolvedStorage | undefined {
  const fields = connectionStringFields(connectionString);
  const name = variableName("storageConnectionString");
  if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") return { connectionString };
  if (!fields.get("accountkey")) {
    const reason = fields.has("sharedaccesssignature") ? "carries a SAS but no AccountKey" : "has no AccountKey";
    return problems.add(
      `${name} ${reason}: Malachite signs SAS URLs itself and needs the account key; use the key's connection string (az storage account show-connection-string)`,
    );
  }
  if (!fields.get("accountname"))
    return problems.add(`${name} has no AccountName: use the account's connection string (az storage account show-connection-string)`);
  if (!isBase64(fields.get("accountkey") as string)) return problems.add(`the AccountKey in ${name} is not a base64 account key`);
  return { connectionString };
}

function checkStorage(config: AzureBackendConfig, problems: Problems): ResolvedStorage | undefined {
  const connectionString = present(config.storageConnectionString);
  if (connectionString) return checkConnectionString(connectionString, problems);
  const accountName = present(config.storageAccountName);
  const accountKey = present(config.storageAccountKey);
  if (!accountName && !accountKey) {
    return problems.add(
      `set ${settingName("storageConnectionString")}, or ${settingName("storageAccountName")} and ${settingName("storageAccountKey")}, for the blob storage tasks read from and write to`,
    );
  }
  if (!accountName) return problems.add(`set ${settingName("storageAccountName")} to the storage account the key belongs to`);
  if (!accountKey) return problems.add(`set ${settingName("storageAccountKey")} to a key of storage account '${accountName}'`);
  if (!checkKey(accountKey, "storageAccountKey", problems)) return undefined;
  return { accountName, accountKey, blobEndpoint: `https://${accountName}.blob.core.windows.net` };
}

function checkTaskContainer(config: AzureBackendConfig, problems: Problems): ResolvedAzureConfig["taskContainer"] | undefined {
  const imageName = required(
    config,
    "taskImage",
    "the task image in your registry, e.g. myacr.azurecr.io/malachite-node:1 (docker/Dockerfile, pushed)",
    problems,
  );
  if (!imageName) return undefined;
  if (!isImageReference(imageName))
    return problems.add(`${settingName("taskImage")} '${imageName}' is not an image reference such as myacr.azurecr.io/malachite-node:1`);
  const server = present(config.registryServer);
  if (server && (server.includes("/") || /\s/.test(server))) {
    return problems.add(`${settingName("registryServer")} must be the registry's host name only, e.g. myacr.azurecr.io`);
  }
  const registryServer = server ?? registryOfImage(imageName);
  if (!registryServer) {
    return problems.add(
      `${settingName("taskImage")} '${imageName}' names no registry: Batch nodes pull it from one, so name it with the registry host (e.g. myacr.azurecr.io/${imageName}) or set ${settingName("registryServer")}`,
    );
  }
  const username = present(config.registryUsername);
  const password = present(config.registryPassword);
  if (username && !password) return problems.add(`set ${settingName("registryPassword")}: registry '${registryServer}' has a username but no password`);
  if (password && !username) return problems.add(`set ${settingName("registryUsername")}: registry '${registryServer}' has a password but no username`);
  return { imageName, registry: username && password ? { registryServer, username, password } : { registryServer } };
}

function checkImageReference(config: AzureBackendConfig, problems: Problems): ImageReference | undefined {
  const value = present(config.vmImage) ?? DEFAULT_VM_IMAGE;
  const parts = value.split(":").map((part) => part.trim());
  if ((parts.length !== 3 && parts.length !== 4) || parts.some((part) => !part)) {
    return problems.add(`${settingName("vmImage")} '${value}' must be publisher:offer:sku[:version], e.g. ${DEFAULT_VM_IMAGE}`);
  }
  const [publisher, offer, sku, version = "latest"] = parts as [string, string, string, string?];
  return { publisher, offer, sku, version };
}

/**
 * Checks the Azure settings before anything is created and fills in the defaults. Fails with one
 * {@link ConfigError} listing every problem, each naming the variable (and config file key) to
 * set. Messages never contain a key, a password or a SAS.
 */
export function checkAzureConfig(config: AzureBackendConfig): ResolvedAzureConfig {
  const problems = new Problems();
  const accountName = required(config, "batchAccountName", "the Batch account name", problems);
  const accountKey = checkKey(
    required(config, "batchAccountKey", "a key of the Batch account (az batch account keys list)", problems),
    "batchAccountKey",
    problems,
  );
  const endpoint = checkEndpoint(
    required(config, "batchEndpoint", "the Batch account URL, e.g. https://myaccount.westeurope.batch.azure.com", problems),
    problems,
  );
  const storage = checkStorage(config, problems);
  const taskContainer = checkTaskContainer(config, problems);
  const imageReference = checkImageReference(config, problems);
  if (problems.list.length > 0 || !accountName || !accountKey || !endpoint || !storage || !taskContainer || !imageReference) {
    throw new ConfigError(`the Azure backend is not configured:\n  - ${problems.list.join("\n  - ")}`);
  }
  return {
    batch: { accountName, accountKey, endpoint },
    storage,
    taskContainer,
    poolPlacement: {
      vmSize: present(config.vmSize) ?? DEFAULT_VM_SIZE,
      virtualMachineConfiguration: { imageReference, nodeAgentSKUId: present(config.nodeAgentSkuId) ?? DEFAULT_NODE_AGENT_SKU },
    },
  };
}
