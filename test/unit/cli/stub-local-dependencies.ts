/**
 * What the local backend runs on, stubbed so that composing it needs no Docker and no Azurite:
 * a node runtime that knows only the containers it is given (and records removals), a fixed
 * node image and a blob service nothing listens on. Enough to compose, serve and dispose.
 */
import type { ManagedContainer, NodeRuntime } from "../../../src/backends/local/docker/node-runtime.js";
import type { BlobService, LocalBackendDependencies } from "../../../src/backends/local/local-backend.js";
import { systemClock } from "../../../src/backends/local/state/clock.js";

export class StubNodeRuntime implements NodeRuntime {
  readonly removed: string[] = [];

  constructor(private containers: ManagedContainer[] = []) {}

  async listManaged(labels: Record<string, string | undefined>): Promise<ManagedContainer[]> {
    return this.containers.filter((c) => Object.entries(labels).every(([key, value]) => (value === undefined ? key in c.labels : c.labels[key] === value)));
  }

  async removeNode(containerId: string): Promise<void> {
    this.removed.push(containerId);
    this.containers = this.containers.filter((c) => c.id !== containerId);
  }

  startNode(): never {
    throw new Error("the stub runtime starts no node");
  }

  exec(): never {
    throw new Error("the stub runtime runs no process");
  }

  runContainer(): never {
    throw new Error("the stub runtime runs no container");
  }

  async inspectImage(): Promise<undefined> {
    return undefined;
  }

  waitForNodeExit(): never {
    throw new Error("the stub runtime has no node");
  }

  async isNodeRunning(): Promise<boolean> {
    return false;
  }

  killNode(): never {
    throw new Error("the stub runtime has no node");
  }
}

export interface StubBlobService extends BlobService {
  stopped: number;
}

export function stubBlobService(): StubBlobService {
  const blobEndpoint = "http://127.0.0.1:9/devstoreaccount1";
  const service: StubBlobService = {
    accountName: "devstoreaccount1",
    accountKey: Buffer.alloc(64, 7).toString("base64"),
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;BlobEndpoint=${blobEndpoint};`,
    stopped: 0,
    stop: async () => {
      service.stopped++;
    },
  };
  return service;
}

/** Dependencies for `compose(config, { local })`; `blob` is what `startBlobService` returns. */
export function stubLocalDependencies(runtime = new StubNodeRuntime(), blob = stubBlobService()): LocalBackendDependencies & { blob: StubBlobService } {
  return { runtime, clock: systemClock, nodeImage: async () => "malachite-node:stub", startBlobService: async () => blob, blob };
}
