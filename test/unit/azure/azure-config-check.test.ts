import { describe, expect, it } from "vitest";
import { DEFAULT_NODE_AGENT_SKU, DEFAULT_VM_IMAGE, DEFAULT_VM_SIZE, checkAzureConfig } from "../../../src/backends/azure/azure-config-check.js";
import { registryOfImage } from "../../../src/backends/azure/image-registry.js";
import { ConfigError, type AzureBackendConfig } from "../../../src/core/config/config.js";
import { loadConfig } from "../../../src/core/config/load-config.js";

const BATCH_KEY = Buffer.alloc(64, 7).toString("base64");
const STORAGE_KEY = Buffer.alloc(64, 9).toString("base64");
const REGISTRY_PASSWORD = "s3cret-registry-password";
const SAS = "sv=2022-11-02&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=abcdefSIGNATURE%3D";

const VALID: AzureBackendConfig = {
  batchAccountName: "mybatch",
  batchAccountKey: BATCH_KEY,
  batchEndpoint: "https://mybatch.westeurope.batch.azure.com",
  storageAccountName: "mystorage",
  storageAccountKey: STORAGE_KEY,
  taskImage: "myacr.azurecr.io/malachite-node:1",
};

/** The ConfigError a configuration fails with; its message must carry no secret. */
function failure(config: AzureBackendConfig): ConfigError {
  try {
    checkAzureConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const secret of [BATCH_KEY, STORAGE_KEY, REGISTRY_PASSWORD, "abcdefSIGNATURE", "not*base64"]) expect(message).not.toContain(secret);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("checkAzureConfig", () => {
  it("resolves a complete configuration and fills in the defaults", () => {
    expect(checkAzureConfig(VALID)).toEqual({
      batch: { accountName: "mybatch", accountKey: BATCH_KEY, endpoint: "https://mybatch.westeurope.batch.azure.com" },
      storage: { accountName: "mystorage", accountKey: STORAGE_KEY, blobEndpoint: "https://mystorage.blob.core.windows.net" },
      taskContainer: { imageName: "myacr.azurecr.io/malachite-node:1", registry: { registryServer: "myacr.azurecr.io" } },
      poolPlacement: {
        vmSize: DEFAULT_VM_SIZE,
        virtualMachineConfiguration: {
          imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "latest" },
          nodeAgentSKUId: DEFAULT_NODE_AGENT_SKU,
        },
      },
    });
    expect(DEFAULT_VM_SIZE).toBe("standard_d2s_v3");
    expect(DEFAULT_VM_IMAGE).toBe("microsoft-dsvm:ubuntu-hpc:2204:latest");
    expect(DEFAULT_NODE_AGENT_SKU).toBe("batch.node.ubuntu 22.04");
  });

  it("takes the VM size, image, node agent and registry credentials when set", () => {
    const resolved = checkAzureConfig({
      ...VALID,
      batchEndpoint: "http://127.0.0.1:10100/",
      vmSize: "standard_d4s_v3",
      vmImage: "canonical:0001-com-ubuntu-server-jammy:22_04-lts",
      nodeAgentSkuId: "batch.node.ubuntu 22.04",
      registryUsername: "puller",
      registryPassword: REGISTRY_PASSWORD,
    });
    expect(resolved.batch.endpoint).toBe("http://127.0.0.1:10100");
    expect(resolved.poolPlacement).toEqual({
      vmSize: "standard_d4s_v3",
      virtualMachineConfiguration: {
        imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
        nodeAgentSKUId: "batch.node.ubuntu 22.04",
      },
    });
    expect(resolved.taskContainer.registry).toEqual({ registryServer: "myacr.azurecr.io", username: "puller", password: REGISTRY_PASSWORD });
    expect(checkAzureConfig({ ...VALID, vmImage: "p:o:s:1.2.3" }).poolPlacement.virtualMachineConfiguration.imageReference.version).toBe("1.2.3");
  });

  it("accepts a storage connection string instead of account and key", () => {
    const connectionString = `DefaultEndpointsProtocol=https;AccountName=mystorage;AccountKey=${STORAGE_KEY};EndpointSuffix=core.windows.net`;
    const { storageAccountName: _name, storageAccountKey: _key, ...rest } = VALID;
    expect(checkAzureConfig({ ...rest, storageConnectionString: connectionString }).storage).toEqual({ connectionString });
    expect(checkAzureConfig({ ...rest, storageConnectionString: "UseDevelopmentStorage=true" }).storage).toEqual({
      connectionString: "UseDevelopmentStorage=true",
    });
  });

  it("names each missing Batch setting, environment variable and config file key", () => {
    const message = failure({ ...VALID, batchAccountName: undefined, batchAccountKey: "", batchEndpoint: "  " }).message;
    expect(message).toContain("AZURE_BATCH_ACCOUNT (config file: azure.batchAccountName)");
    expect(message).toContain("AZURE_BATCH_ACCESS_KEY (config file: azure.batchAccountKey)");
    expect(message).toContain("AZURE_BATCH_ENDPOINT (config file: azure.batchEndpoint)");
    expect(message).not.toContain("MALACHITE_AZURE_TASK_IMAGE");
  });

  it("reports every problem at once", () => {
    const message = failure({}).message;
    for (const variable of [
      "AZURE_BATCH_ACCOUNT",
      "AZURE_BATCH_ACCESS_KEY",
      "AZURE_BATCH_ENDPOINT",
      "AZURE_STORAGE_CONNECTION_STRING",
      "MALACHITE_AZURE_TASK_IMAGE",
    ]) {
      expect(message).toContain(variable);
    }
    expect(message.split("\n  - ")).toHaveLength(6);
  });

  it("asks for https:// on an endpoint without a scheme, and refuses other schemes and extras", () => {
    const noScheme = failure({ ...VALID, batchEndpoint: "mybatch.westeurope.batch.azure.com" }).message;
    expect(noScheme).toMatch(/AZURE_BATCH_ENDPOINT 'mybatch\.westeurope\.batch\.azure\.com' has no scheme: add https:\/\//);
    expect(noScheme).toContain("https://mybatch.westeurope.batch.azure.com");
    expect(failure({ ...VALID, batchEndpoint: "localhost:10100" }).message).toMatch(/has no scheme: add https:\/\//);
    expect(failure({ ...VALID, batchEndpoint: "ftp://mybatch.example" }).message).toMatch(/AZURE_BATCH_ENDPOINT must be an https:\/\/ URL/);
    const withQuery = failure({ ...VALID, batchEndpoint: `https://mybatch.example/?${SAS}` }).message;
    expect(withQuery).toMatch(/without user info, query string or fragment/);
    expect(failure({ ...VALID, batchEndpoint: "https://user:pw@mybatch.example" }).message).not.toContain("pw");
  });

  it("refuses a key that is not base64 without showing it", () => {
    expect(failure({ ...VALID, batchAccountKey: "not*base64" }).message).toMatch(
      /AZURE_BATCH_ACCESS_KEY \(config file: azure.batchAccountKey\) is not a base64 account key/,
    );
    expect(failure({ ...VALID, storageAccountKey: "not*base64" }).message).toMatch(/AZURE_STORAGE_KEY .* is not a base64 account key/);
  });

  it("needs storage: a connection string, or both account and key", () => {
    const none = failure({ ...VALID, storageAccountName: undefined, storageAccountKey: undefined }).message;
    expect(none).toContain("AZURE_STORAGE_CONNECTION_STRING");
    expect(none).toContain("AZURE_STORAGE_ACCOUNT");
    expect(none).toContain("AZURE_STORAGE_KEY");
    expect(failure({ ...VALID, storageAccountKey: undefined }).message).toMatch(/set AZURE_STORAGE_KEY .* storage account 'mystorage'/);
    expect(failure({ ...VALID, storageAccountName: undefined }).message).toMatch(/set AZURE_STORAGE_ACCOUNT/);
  });

  it("refuses a connection string without an account key, SAS or not, without showing it", () => {
    const base = { ...VALID, storageAccountName: undefined, storageAccountKey: undefined };
    const sas = failure({ ...base, storageConnectionString: `BlobEndpoint=https://mystorage.blob.core.windows.net;SharedAccessSignature=${SAS}` }).message;
    expect(sas).toMatch(/AZURE_STORAGE_CONNECTION_STRING carries a SAS but no AccountKey/);
    expect(failure({ ...base, storageConnectionString: "AccountName=mystorage" }).message).toMatch(/AZURE_STORAGE_CONNECTION_STRING has no AccountKey/);
    expect(failure({ ...base, storageConnectionString: `AccountKey=${STORAGE_KEY}` }).message).toMatch(/has no AccountName/);
    expect(failure({ ...base, storageConnectionString: "AccountName=a;AccountKey=not*base64" }).message).toMatch(
      /AccountKey in AZURE_STORAGE_CONNECTION_STRING is not a base64/,
    );
  });

  it("needs the task image, with a registry to pull it from", () => {
    expect(failure({ ...VALID, taskImage: undefined }).message).toContain("set MALACHITE_AZURE_TASK_IMAGE (config file: azure.taskImage)");
    const noRegistry = failure({ ...VALID, taskImage: "malachite-node:1" }).message;
    expect(noRegistry).toMatch(/MALACHITE_AZURE_TASK_IMAGE .* 'malachite-node:1' names no registry/);
    expect(noRegistry).toContain("MALACHITE_AZURE_REGISTRY_SERVER");
    expect(checkAzureConfig({ ...VALID, taskImage: "malachite-node:1", registryServer: "myacr.azurecr.io" }).taskContainer).toEqual({
      imageName: "malachite-node:1",
      registry: { registryServer: "myacr.azurecr.io" },
    });
    expect(failure({ ...VALID, registryServer: "https://myacr.azurecr.io" }).message).toMatch(/MALACHITE_AZURE_REGISTRY_SERVER .* host name only/);
    expect(failure({ ...VALID, taskImage: "my image" }).message).toMatch(/is not an image reference/);
  });

  it("needs a password for a registry username, and a username for a password", () => {
    expect(failure({ ...VALID, registryUsername: "puller" }).message).toMatch(
      /set MALACHITE_AZURE_REGISTRY_PASSWORD .*: registry 'myacr.azurecr.io' has a username but no password/,
    );
    expect(failure({ ...VALID, registryPassword: REGISTRY_PASSWORD }).message).toMatch(/set MALACHITE_AZURE_REGISTRY_USERNAME/);
  });

  it("refuses a VM image that is not publisher:offer:sku[:version]", () => {
    expect(failure({ ...VALID, vmImage: "ubuntu-20.04" }).message).toMatch(/MALACHITE_AZURE_VM_IMAGE .* must be publisher:offer:sku\[:version\]/);
    expect(failure({ ...VALID, vmImage: "a::c" }).message).toContain("MALACHITE_AZURE_VM_IMAGE");
  });

  it("works on what loadConfig reads from the environment", () => {
    const config = loadConfig(
      {},
      {
        AZURE_BATCH_ACCOUNT: "envbatch",
        AZURE_BATCH_ACCESS_KEY: BATCH_KEY,
        AZURE_BATCH_ENDPOINT: "https://envbatch.eastus.batch.azure.com",
        AZURE_STORAGE_ACCOUNT: "envstorage",
        AZURE_STORAGE_KEY: STORAGE_KEY,
        MALACHITE_AZURE_TASK_IMAGE: "envacr.azurecr.io/node:2",
        MALACHITE_AZURE_VM_SIZE: "standard_f2s_v2",
      },
      "/nonexistent-dir-for-config",
    ).azure;
    const resolved = checkAzureConfig(config);
    expect(resolved.batch.accountName).toBe("envbatch");
    expect(resolved.taskContainer.registry.registryServer).toBe("envacr.azurecr.io");
    expect(resolved.poolPlacement.vmSize).toBe("standard_f2s_v2");
  });
});

describe("registryOfImage", () => {
  it("is the host part of an image name, by Docker's rule", () => {
    expect(registryOfImage("myacr.azurecr.io/malachite-node:1")).toBe("myacr.azurecr.io");
    expect(registryOfImage("registry.malachite.test/team/malachite-node:1")).toBe("registry.malachite.test");
    expect(registryOfImage("localhost:5000/node:1")).toBe("localhost:5000");
    expect(registryOfImage("localhost/node")).toBe("localhost");
    expect(registryOfImage("malachite-node:1")).toBeUndefined();
    expect(registryOfImage("library/ubuntu:22.04")).toBeUndefined();
  });
});
