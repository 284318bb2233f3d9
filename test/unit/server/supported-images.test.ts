/**
 * `GET /supportedimages` as Microsoft's samples read it: `common.helpers.select_latest_verified_vm_image_with_node_agent_sku`
 * lists the verified images and picks one by publisher, offer and SKU prefix, failing when none matches.
 */
import type { BatchServiceClient } from "@azure/batch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestBed } from "../../support/test-bed.js";

let bed: TestBed;
let client: BatchServiceClient;

beforeAll(async () => {
  bed = await TestBed.start({ server: true });
  client = await bed.client();
});

afterAll(async () => {
  await bed.close();
});

describe("the supported images", () => {
  it.each([
    ["canonical", "0001-com-ubuntu-server-focal", "20_04", "batch.node.ubuntu 20.04"],
    ["canonical", "0001-com-ubuntu-server-jammy", "22_04", "batch.node.ubuntu 22.04"],
    ["canonical", "ubuntu-24_04-lts", "server", "batch.node.ubuntu 24.04"],
    ["debian", "debian-12", "12", "batch.node.debian 12"],
    ["microsoft-azure-batch", "ubuntu-server-container", "20-04", "batch.node.ubuntu 20.04"],
    ["Canonical", "UbuntuServer", "16.04", "batch.node.ubuntu 16.04"],
  ])("has a verified %s %s image with a SKU starting %s, for %s", async (publisher, offer, skuPrefix, nodeAgentSKUId) => {
    const verified = await client.account.listSupportedImages({ accountListSupportedImagesOptions: { filter: "verificationType eq 'verified'" } });
    const picked = verified.filter(
      (image) =>
        image.imageReference.publisher?.toLowerCase() === publisher.toLowerCase() &&
        image.imageReference.offer?.toLowerCase() === offer.toLowerCase() &&
        image.imageReference.sku?.toLowerCase().startsWith(skuPrefix.toLowerCase()),
    );
    expect(picked.map((image) => [image.nodeAgentSKUId, image.osType])).toEqual([[nodeAgentSKUId, "linux"]]);
  });

  it("says which image runs containers (DockerCompatible), as container samples check", async () => {
    const images = await client.account.listSupportedImages();
    const dockerCompatible = images.filter((image) => image.capabilities?.includes("DockerCompatible"));
    expect(dockerCompatible.map((image) => image.imageReference.offer)).toEqual(["ubuntu-server-container"]);
  });

  it("filters by node agent SKU", async () => {
    const listed = await client.account.listSupportedImages({ accountListSupportedImagesOptions: { filter: "nodeAgentSKUId eq 'batch.node.ubuntu 24.04'" } });
    expect(listed.map((image) => image.imageReference.offer)).toEqual(["ubuntu-24_04-lts"]);
  });
});
