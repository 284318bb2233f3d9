/**
 * The Azure backend passes a pool's VM disks, placement and encryption settings and a task's
 * containerRunOptions to the service as they are; what @azure/batch 10.2.0 (api-version
 * 2022-10-01) cannot express is refused by its full path before anything is sent.
 */
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import type { PoolAddParameter } from "../../../src/core/models/index.js";
import { backendAnswering } from "./fake-batch-service.js";

const VM = {
  imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
  nodeAgentSKUId: "batch.node.ubuntu 22.04",
};

describe("Azure backend: nested VM properties and container run options", () => {
  it("sends data disks, the ephemeral OS disk, node placement, disk encryption, blob mounts and run options as they are", async () => {
    const bodies: unknown[] = [];
    const { backend } = await backendAnswering((request, url) => {
      if (request.method === "POST") {
        bodies.push(JSON.parse(request.body as string));
        return { status: 201 };
      }
      if (url.pathname === "/pools/p") return { json: { id: "p" } };
      if (url.pathname === "/jobs/j/tasks/t") return { json: { id: "t" } };
      return undefined;
    });
    const virtualMachineConfiguration = {
      ...VM,
      dataDisks: [{ lun: 0, diskSizeGB: 128, caching: "readwrite" as const, storageAccountType: "premium_lrs" as const }],
      osDisk: { ephemeralOSDiskSettings: { placement: "cachedisk" as const } },
      nodePlacementConfiguration: { policy: "zonal" as const },
      diskEncryptionConfiguration: { targets: ["osdisk" as const] },
    };
    const mountConfiguration = [
      {
        azureBlobFileSystemConfiguration: { accountName: "store", containerName: "refs", relativeMountPath: "refs", sasKey: "sv=x", blobfuseOptions: "-o ro" },
      },
    ];
    await backend.batch.pool.add({ id: "p", vmSize: "standard_d2s_v3", virtualMachineConfiguration, mountConfiguration });
    expect(bodies[0]).toEqual({ id: "p", vmSize: "standard_d2s_v3", virtualMachineConfiguration, mountConfiguration });
    const containerSettings = { imageName: "i", containerRunOptions: `--name w -v /data:/data --mount "type=bind,source=/a,target=/b" --shm-size 1g` };
    await backend.batch.task.add("j", { id: "t", commandLine: "true", containerSettings });
    expect(bodies[1]).toEqual({ id: "t", commandLine: "true", containerSettings });
  });

  it("refuses what api-version 2022-10-01 has no property for, by its full path, before sending anything", async () => {
    const { backend, requests } = await backendAnswering(() => ({ status: 201 }));
    const refusal = async (vm: Record<string, unknown>) => {
      const pool = { id: "p", vmSize: "s", virtualMachineConfiguration: { ...VM, ...vm } } as PoolAddParameter;
      const error = (await backend.batch.pool.add(pool).then(
        () => undefined,
        (e: unknown) => e,
      )) as BatchError;
      return [error.code, error.values[0]?.value];
    };
    expect(await refusal({ securityProfile: { securityType: "trustedLaunch" } })).toEqual([
      "UnsupportedProperty",
      "virtualMachineConfiguration.securityProfile",
    ]);
    expect(await refusal({ osDisk: { caching: "readonly" } })).toEqual(["UnsupportedProperty", "virtualMachineConfiguration.osDisk.caching"]);
    expect(requests).toEqual([]);
  });
});
