/**
 * The blob containers a pool's `mountConfiguration` mounts on each of its nodes, as local mirrors
 * (files/blob-mount-mirror.ts) at `$AZ_BATCH_NODE_MOUNTS_DIR/<relativeMountPath>`: downloaded when
 * the node starts, synced back after every task that ran on it. Malachite reads and writes the
 * containers of its own blob service with its own key; the pool's credentials are not used.
 */
import path from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import type { BlobStorage } from "../../../core/backend.js";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeError, MountConfiguration } from "../../../core/models/index.js";
import { BlobMountMirror } from "../files/blob-mount-mirror.js";
import { NodeRootFs } from "../files/node-root-fs.js";

const log = createLogger("malachite:mounts");

/** How long the SAS of one download or sync stays valid: real time, as the blob service checks it. */
const SAS_LIFETIME_MS = 3_600_000;

/** The node error of a mount that failed (TaskFailureInformationCodes.MountConfigurationError). */
export function mountConfigurationError(detail: string): ComputeNodeError {
  return {
    code: "MountConfigurationError",
    message: "There was an error attempting to configure the specified mounts.",
    errorDetails: [{ name: "Message", value: detail }],
  };
}

export class NodeBlobMounts {
  /** The mirrors of each node, by its host node root. */
  private readonly mirrors = new Map<string, BlobMountMirror[]>();

  constructor(private readonly storage: BlobStorage) {}

  private mirrorsOf(hostNodeRoot: string, mounts: readonly MountConfiguration[]): BlobMountMirror[] {
    const root = new NodeRootFs(hostNodeRoot);
    return mounts.flatMap((mount) => {
      const blob = mount.azureBlobFileSystemConfiguration;
      if (!blob) return [];
      const container = new RenewedContainer(this.storage, blob.containerName);
      return [new BlobMountMirror(root, path.posix.join("fsmounts", blob.relativeMountPath), () => container.client())];
    });
  }

  /** Downloads the node's containers; resolves with the node error when one cannot be mounted. */
  async mount(hostNodeRoot: string, mounts: readonly MountConfiguration[] | undefined): Promise<ComputeNodeError | undefined> {
    if (!mounts?.length) return undefined;
    const mirrors = this.mirrorsOf(hostNodeRoot, mounts);
    try {
      for (const mirror of mirrors) await mirror.download();
    } catch (error) {
      return mountConfigurationError(describe(error));
    }
    this.mirrors.set(hostNodeRoot, mirrors);
    return undefined;
  }

  /**
   * Uploads what the node's tasks changed in its mounts; a node without mounts has nothing to do.
   * A failed upload is logged (blobfuse would fail the write in the task; here the task has ended).
   */
  async sync(hostNodeRoot: string): Promise<void> {
    for (const mirror of this.mirrors.get(hostNodeRoot) ?? []) {
      await mirror.sync().catch((error: unknown) => log.warn(`could not upload ${mirror.dir} of ${hostNodeRoot}: ${describe(error)}`));
    }
  }

  forget(hostNodeRoot: string): void {
    this.mirrors.delete(hostNodeRoot);
  }
}

/** A container client whose SAS is renewed when it nears its end. */
class RenewedContainer {
  private current?: { client: ContainerClient; expires: number };

  constructor(
    private readonly storage: BlobStorage,
    private readonly name: string,
  ) {}

  client(): ContainerClient {
    const now = Date.now();
    if (!this.current || this.current.expires - now < SAS_LIFETIME_MS / 2) {
      const expires = now + SAS_LIFETIME_MS;
      this.current = { client: new ContainerClient(this.storage.containerSasUrl(this.name, "racwdl", new Date(expires))), expires };
    }
    return this.current.client;
  }
}

/** An error without the SAS of a URL it may quote. */
function describe(error: unknown): string {
  const text = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
  return text.replace(/\?[^\s'"]*/g, "?<redacted>");
}
