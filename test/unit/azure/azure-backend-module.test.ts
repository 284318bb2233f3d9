import { describe, expect, it } from "vitest";
import { compose } from "../../../src/composition-root.js";
import { ConfigError, type MalachiteConfig } from "../../../src/core/config/config.js";

const KEY = Buffer.alloc(64, 1).toString("base64");

function config(azure: MalachiteConfig["azure"]): MalachiteConfig {
  return { backend: "azure", local: { dataDir: "/nonexistent", azurite: { port: 0 } }, azure };
}

describe("the azure backend module", () => {
  it("is what --backend azure selects; it contacts nothing until asked, and disposes cleanly", async () => {
    const composition = await compose(
      config({
        batchAccountName: "acct",
        batchAccountKey: KEY,
        batchEndpoint: "https://acct.westeurope.batch.azure.com",
        storageAccountName: "store",
        storageAccountKey: KEY,
        taskImage: "myacr.azurecr.io/malachite-node:1",
      }),
    );
    expect(composition.backend.kind).toBe("azure");
    expect(composition.backend.taskContainer?.imageName).toBe("myacr.azurecr.io/malachite-node:1");
    await composition.dispose();
  });

  it("fails with the ConfigError of the settings check before creating anything", async () => {
    await expect(compose(config({}))).rejects.toThrow(ConfigError);
    await expect(compose(config({}))).rejects.toThrow(/AZURE_BATCH_ACCOUNT/);
  });
});
