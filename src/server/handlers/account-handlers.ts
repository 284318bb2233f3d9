import type { Router } from "../http/router.js";
import { listResponse } from "../protocol/responses.js";

/**
 * The images a pool may name. Every local node runs Malachite's node image whatever the pool
 * asks for, so these are the references clients' image pickers look for: current Ubuntu
 * LTS images, the container-ready Ubuntu image container samples pick (`DockerCompatible`),
 * Debian 12 (the node image's own base), and the Ubuntu 16.04 image the original 2017 tutorial
 * selects.
 */
const IMAGES = [
  { nodeAgentSKUId: "batch.node.ubuntu 24.04", imageReference: { publisher: "canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" } },
  {
    nodeAgentSKUId: "batch.node.ubuntu 22.04",
    imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
  },
  { nodeAgentSKUId: "batch.node.ubuntu 22.04", imageReference: { publisher: "microsoft-dsvm", offer: "ubuntu-hpc", sku: "2204", version: "latest" } },
  {
    nodeAgentSKUId: "batch.node.ubuntu 20.04",
    imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-focal", sku: "20_04-lts", version: "latest" },
  },
  {
    nodeAgentSKUId: "batch.node.ubuntu 20.04",
    imageReference: { publisher: "microsoft-azure-batch", offer: "ubuntu-server-container", sku: "20-04-lts", version: "latest" },
    capabilities: ["DockerCompatible"],
  },
  { nodeAgentSKUId: "batch.node.debian 12", imageReference: { publisher: "debian", offer: "debian-12", sku: "12", version: "latest" } },
  { nodeAgentSKUId: "batch.node.ubuntu 16.04", imageReference: { publisher: "Canonical", offer: "UbuntuServer", sku: "16.04-LTS", version: "latest" } },
];

/** `GET /supportedimages` and, for the 2017 api-version, `GET /nodeagentskus`. */
export function addAccountRoutes(router: Router): void {
  router
    .add("GET", "/supportedimages", async (request) =>
      listResponse(
        request,
        IMAGES.map((image) => ({ capabilities: [], ...image, osType: "linux", verificationType: "verified" })),
        "supportedimages",
      ),
    )
    .add("GET", "/nodeagentskus", async (request) =>
      listResponse(
        request,
        [...new Set(IMAGES.map((image) => image.nodeAgentSKUId))].map((id) => ({
          id,
          verifiedImageReferences: IMAGES.filter((image) => image.nodeAgentSKUId === id).map((image) => image.imageReference),
          osType: "linux",
        })),
        "nodeagentskus",
      ),
    );
}
