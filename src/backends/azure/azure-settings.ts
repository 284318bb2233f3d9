import type { AzureBackendConfig } from "../../core/config/config.js";
import { AZURE_ENVIRONMENT } from "../../core/config/load-config.js";

/** How a user sets one Azure setting: `AZURE_BATCH_ACCOUNT (config file: azure.batchAccountName)`. */
export function settingName(key: keyof AzureBackendConfig): string {
  return `${AZURE_ENVIRONMENT[key]} (config file: azure.${key})`;
}

/** The environment variable alone, for messages that name several settings. */
export function variableName(key: keyof AzureBackendConfig): string {
  return AZURE_ENVIRONMENT[key];
}
