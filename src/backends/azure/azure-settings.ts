import type { AzureBackendConfig } from "../../core/config/config.js";

/** Each Azure setting with the environment variable that sets it (as `loadConfig` reads them). */
const ENVIRONMENT_VARIABLES: Record<keyof AzureBackendConfig, string> = {
  batchAccountName: "AZURE_BATCH_ACCOUNT",
  batchAccountKey: "AZURE_BATCH_ACCESS_KEY",
  batchEndpoint: "AZURE_BATCH_ENDPOINT",
  storageConnectionString: "AZURE_STORAGE_CONNECTION_STRING",
  storageAccountName: "AZURE_STORAGE_ACCOUNT",
  storageAccountKey: "AZURE_STORAGE_KEY",
  taskImage: "MALACHITE_AZURE_TASK_IMAGE",
  registryServer: "MALACHITE_AZURE_REGISTRY_SERVER",
  registryUsername: "MALACHITE_AZURE_REGISTRY_USERNAME",
  registryPassword: "MALACHITE_AZURE_REGISTRY_PASSWORD",
  vmSize: "MALACHITE_AZURE_VM_SIZE",
  vmImage: "MALACHITE_AZURE_VM_IMAGE",
  nodeAgentSkuId: "MALACHITE_AZURE_NODE_AGENT_SKU",
};

/** How a user sets one Azure setting: `AZURE_BATCH_ACCOUNT (config file: azure.batchAccountName)`. */
export function settingName(key: keyof AzureBackendConfig): string {
  return `${ENVIRONMENT_VARIABLES[key]} (config file: azure.${key})`;
}

/** The environment variable alone, for messages that name several settings. */
export function variableName(key: keyof AzureBackendConfig): string {
  return ENVIRONMENT_VARIABLES[key];
}
