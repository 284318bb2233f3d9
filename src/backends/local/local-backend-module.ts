import { ContainerModule, type ServiceIdentifier } from "inversify";
import type { MalachiteConfig } from "../../core/config/config.js";
import { TOKENS } from "../../core/tokens.js";
import { DockerNodeRuntime } from "./docker/docker-node-runtime.js";
import { sweepLeftovers } from "./docker/leftover-sweeper.js";
import type { NodeRuntime } from "./docker/node-runtime.js";
import { LocalBackend, type LocalBackendDependencies } from "./local-backend.js";

/** What the composition adds to `config.local`. */
export interface LocalModuleOptions {
  /** The URL the account reports (entity `url`s, `AZ_BATCH_ACCOUNT_URL`): the Batch server's, once it listens. */
  accountUrl?: string;
  /** Replaces what the backend runs on (node runtime, clock, node image, blob service): fakes in tests. */
  dependencies?: Partial<LocalBackendDependencies>;
}

/** Removes node containers left behind by crashed runs; resolves with their names. */
export type LeftoverSweep = () => Promise<string[]>;

/** The local backend as itself: with its blob service and the credentials a client needs. */
export const LOCAL_BACKEND: ServiceIdentifier<LocalBackend> = Symbol.for("malachite.LocalBackend");
export const NODE_RUNTIME: ServiceIdentifier<NodeRuntime> = Symbol.for("malachite.NodeRuntime");
export const LEFTOVER_SWEEP: ServiceIdentifier<LeftoverSweep> = Symbol.for("malachite.LeftoverSweep");

/**
 * Binds the local backend (started on first resolution, closed when the container unbinds it)
 * as `TOKENS.Backend` and `LOCAL_BACKEND`, and the sweep of leftovers on the same node runtime.
 */
export function localBackendModule(options: LocalModuleOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(NODE_RUNTIME)
      .toDynamicValue(() => options.dependencies?.runtime ?? new DockerNodeRuntime())
      .inSingletonScope();
    bind(LOCAL_BACKEND)
      .toResolvedValue(
        (config: MalachiteConfig, runtime: NodeRuntime) =>
          LocalBackend.start({ ...config.local, accountUrl: options.accountUrl }, { ...options.dependencies, runtime }),
        [TOKENS.Config, NODE_RUNTIME],
      )
      .inSingletonScope()
      .onDeactivation((backend) => backend.close());
    bind(TOKENS.Backend).toService(LOCAL_BACKEND);
    // Asked for by a user (`malachite sweep`): a crashed run's containers go at once, even those a restart could still adopt.
    bind(LEFTOVER_SWEEP).toResolvedValue(
      (runtime: NodeRuntime): LeftoverSweep =>
        () =>
          sweepLeftovers(runtime, { orphanGraceMs: 0 }),
      [NODE_RUNTIME],
    );
  });
}
