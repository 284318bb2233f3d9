/**
 * Properties nested under a pool's `virtualMachineConfiguration`: the VM's disks, placement,
 * encryption and security settings are checked as the service checks them, kept and reported
 * back (they have no local effect); what would need a real VM is refused by its full path. The
 * REST API (through the official JS SDK, or raw JSON where the SDK has no such property) and the
 * backend called directly give the same answers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BatchServiceClient } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolAddParameter, VirtualMachineConfiguration } from "../../../src/core/models/index.js";
import { rejectionOf, restErrorOf } from "../../support/rejection-of.js";
import { signedFetcher, type BatchFetch } from "../../support/signed-fetch.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";

const IMAGE = { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" };
const AGENT = "batch.node.ubuntu 22.04";

/** Every kept property, as a client sends it. */
const FULL_VM: VirtualMachineConfiguration = {
  imageReference: IMAGE,
  nodeAgentSKUId: AGENT,
  dataDisks: [
    { lun: 0, diskSizeGB: 128, caching: "readwrite", storageAccountType: "premium_lrs" },
    { lun: 1, diskSizeGB: 64 },
  ],
  osDisk: {
    ephemeralOSDiskSettings: { placement: "cachedisk" },
    caching: "readonly",
    diskSizeGB: 100,
    managedDisk: { storageAccountType: "standardssd_lrs" },
    writeAcceleratorEnabled: false,
  },
  nodePlacementConfiguration: { policy: "zonal" },
  securityProfile: { securityType: "trustedLaunch", encryptionAtHost: true, uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
  diskEncryptionConfiguration: { targets: ["osdisk", "temporarydisk"] },
};

let bed: TestBed;
let client: BatchServiceClient;
let batch: BatchFetch;

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
  batch = signedFetcher(bed.account);
});

afterAll(async () => {
  await bed?.close();
});

interface ErrorBody {
  code?: string;
  values?: { key: string; value: string }[];
}

const pool = (id: string, vm: Record<string, unknown>): PoolAddParameter => {
  const parameter: unknown = { id, vmSize: "standard_d2s_v3", virtualMachineConfiguration: { imageReference: IMAGE, nodeAgentSKUId: AGENT, ...vm } };
  return parameter as PoolAddParameter;
};

/** The answer of the REST API (raw JSON, so that properties the SDK lacks are sent too) and of the backend called directly. */
async function answers(id: string, vm: Record<string, unknown>) {
  const rest = await batch("/pools", { method: "POST", json: pool(id, vm) });
  const body = rest.json as ErrorBody | undefined;
  const direct = await rejectionOf(bed.batch.pool.add(pool(`${id}-direct`, vm)));
  return {
    rest: [rest.status, body?.code, body?.values?.[0]?.value],
    direct: [direct.statusCode, direct.code, direct.values[0]?.value],
    reason: direct.values.find((v) => v.key === "Reason")?.value,
  };
}

describe("virtualMachineConfiguration's nested properties", () => {
  it("keeps the VM's disks, placement, encryption and security settings and reports them back", async () => {
    const created = await batch("/pools", { method: "POST", json: { ...pool("full", {}), virtualMachineConfiguration: FULL_VM, targetDedicatedNodes: 1 } });
    expect(created.status).toBe(201);
    await bed.waitFor(async () => (await client.computeNode.list("full").then((nodes) => nodes.length)) === 1, "a node");
    const reported = (await batch("/pools/full")).json as { virtualMachineConfiguration?: unknown };
    expect(reported.virtualMachineConfiguration).toEqual(FULL_VM);
    // The SDK (api-version 2022-10-01) sends and reads the part it knows.
    await client.pool.add({
      id: "sdk",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: {
        imageReference: IMAGE,
        nodeAgentSKUId: AGENT,
        dataDisks: [{ lun: 3, diskSizeGB: 10, caching: "none" }],
        osDisk: { ephemeralOSDiskSettings: { placement: "CacheDisk" } },
        nodePlacementConfiguration: { policy: "regional" },
        diskEncryptionConfiguration: { targets: ["osdisk"] },
      },
    });
    expect((await client.pool.get("sdk")).virtualMachineConfiguration).toEqual({
      imageReference: IMAGE,
      nodeAgentSKUId: AGENT,
      dataDisks: [{ lun: 3, diskSizeGB: 10, caching: "none" }],
      // Enum values come back in the service's own spelling (models.tsp `DiffDiskPlacement.CacheDisk = "cachedisk"`).
      osDisk: { ephemeralOSDiskSettings: { placement: "cachedisk" } },
      nodePlacementConfiguration: { policy: "regional" },
      diskEncryptionConfiguration: { targets: ["osdisk"] },
    });
    const direct = await bed.batch.pool.add({ id: "direct", vmSize: "standard_d2s_v3", virtualMachineConfiguration: FULL_VM });
    expect(direct.virtualMachineConfiguration).toEqual(FULL_VM);
  });

  it("refuses what needs a real VM with UnsupportedProperty naming the full path, through the SDK and directly", async () => {
    const extensions = await restErrorOf(
      client.pool.add({
        id: "ext",
        vmSize: "standard_d2s_v3",
        virtualMachineConfiguration: { imageReference: IMAGE, nodeAgentSKUId: AGENT, extensions: [{ name: "e", publisher: "p", type: "t" }] },
      }),
    );
    expect([extensions.statusCode, extensions.code]).toEqual([400, "UnsupportedProperty"]);
    expect(JSON.stringify(extensions.body)).toContain("virtualMachineConfiguration.extensions");
    const refused: [Record<string, unknown>, string][] = [
      [{ extensions: [{ name: "e", publisher: "p", type: "t" }] }, "virtualMachineConfiguration.extensions"],
      [{ windowsConfiguration: { enableAutomaticUpdates: false } }, "virtualMachineConfiguration.windowsConfiguration"],
      [{ licenseType: "Windows_Server" }, "virtualMachineConfiguration.licenseType"],
      [{ serviceArtifactReference: { id: "x" } }, "virtualMachineConfiguration.serviceArtifactReference"],
      [{ imageReference: { sharedGalleryImageId: "/sharedGalleries/g/images/i" } }, "virtualMachineConfiguration.imageReference.sharedGalleryImageId"],
    ];
    for (const [index, [vm, property]] of refused.entries()) {
      const { rest, direct, reason } = await answers(`refused${index}`, vm);
      expect(rest, property).toEqual([400, "UnsupportedProperty", property]);
      expect(direct, property).toEqual(rest);
      expect(reason, property).toMatch(/Malachite's compute nodes/);
    }
  });

  it("checks values as the service does, naming the full path, through the REST API and directly", async () => {
    const invalid: [Record<string, unknown>, string, string][] = [
      [{ dataDisks: [{ lun: 0, diskSizeGB: 10, caching: "fast" }] }, "InvalidPropertyValue", "virtualMachineConfiguration.dataDisks[0].caching"],
      [{ dataDisks: [{ lun: 64, diskSizeGB: 10 }] }, "InvalidPropertyValue", "virtualMachineConfiguration.dataDisks[0].lun"],
      [
        {
          dataDisks: [
            { lun: 2, diskSizeGB: 10 },
            { lun: 2, diskSizeGB: 20 },
          ],
        },
        "InvalidPropertyValue",
        "virtualMachineConfiguration.dataDisks[1].lun",
      ],
      [{ dataDisks: [{ lun: 0 }] }, "MissingRequiredProperty", "virtualMachineConfiguration.dataDisks[0].diskSizeGB"],
      [
        { osDisk: { managedDisk: { storageAccountType: "ultra_lrs" } } },
        "InvalidPropertyValue",
        "virtualMachineConfiguration.osDisk.managedDisk.storageAccountType",
      ],
      [{ nodePlacementConfiguration: { policy: "global" } }, "InvalidPropertyValue", "virtualMachineConfiguration.nodePlacementConfiguration.policy"],
      [{ securityProfile: { securityType: "standard" } }, "InvalidPropertyValue", "virtualMachineConfiguration.securityProfile.securityType"],
      [
        { diskEncryptionConfiguration: { targets: ["datadisk"] } },
        "InvalidPropertyValue",
        "virtualMachineConfiguration.diskEncryptionConfiguration.targets[0]",
      ],
    ];
    for (const [index, [vm, code, property]] of invalid.entries()) {
      const { rest, direct } = await answers(`invalid${index}`, vm);
      expect(rest, property).toEqual([400, code, property]);
      expect(direct, property).toEqual(rest);
    }
  });

  it("keeps them across a restart", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-vm-config-"));
    try {
      const first = await startOn(dataDir);
      await first.backend.batch.pool.add({ id: "kept", vmSize: "standard_d2s_v3", virtualMachineConfiguration: FULL_VM });
      await first.backend.close();
      const second = await startOn(dataDir);
      expect((await second.backend.batch.pool.get("kept")).virtualMachineConfiguration).toEqual(FULL_VM);
      await second.backend.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("mountConfiguration", () => {
  it("refuses NFS, CIFS and file share mounts by their full path, with what to use instead, through REST and directly", async () => {
    const kinds: [Record<string, unknown>, string][] = [
      [{ nfsMountConfiguration: { source: "host:/export", relativeMountPath: "nfs" } }, "nfsMountConfiguration"],
      [{ cifsMountConfiguration: { source: "//host/share", relativeMountPath: "cifs", username: "u", password: "p" } }, "cifsMountConfiguration"],
      [
        { azureFileShareConfiguration: { accountName: "a", azureFileUrl: "https://a.file.core.windows.net/s", accountKey: "k", relativeMountPath: "s" } },
        "azureFileShareConfiguration",
      ],
    ];
    for (const [index, [mount, kind]] of kinds.entries()) {
      const parameter: unknown = { id: `mount${index}`, vmSize: "standard_d2s_v3", mountConfiguration: [mount] };
      const rest = await batch("/pools", { method: "POST", json: parameter });
      const restBody = rest.json as ErrorBody;
      expect([rest.status, restBody.code, restBody.values?.[0]?.value]).toEqual([400, "UnsupportedProperty", `mountConfiguration[0].${kind}`]);
      const direct = await rejectionOf(bed.batch.pool.add(parameter as PoolAddParameter));
      expect([direct.statusCode, direct.code, direct.values[0]?.value]).toEqual([400, "UnsupportedProperty", `mountConfiguration[0].${kind}`]);
      expect(direct.values.find((v) => v.key === "Reason")?.value).toMatch(/-v HOST:CONTAINER/);
    }
    const empty = await rejectionOf(bed.batch.pool.add({ id: "empty-mount", vmSize: "standard_d2s_v3", mountConfiguration: [{}] }));
    expect([empty.code, empty.values[0]?.value]).toEqual(["InvalidPropertyValue", "mountConfiguration[0]"]);
  });
});
