import { Container, type ContainerModule } from "inversify";
import type { Backend, BackendKind } from "./core/backend.js";
import { ConfigError, type MalachiteConfig } from "./core/config/config.js";
import { TOKENS } from "./core/tokens.js";
import type { LocalBackend, LocalBackendDependencies } from "./backends/local/local-backend.js";
import type { LeftoverSweep } from "./backends/local/local-backend-module.js";

/** What a composition adds to the configuration: facts known only at run time, and test doubles. */
export interface CompositionOptions {
  /** The URL the local backend's account reports: the Batch server's, known once it listens (`malachite serve`). */
  accountUrl?: string;
  /** Replaces the local backend's node runtime, clock, node image or blob service, e.g. with fakes in tests. */
  local?: Partial<LocalBackendDependencies>;
}

/** The local backend's module; its code (Docker, Azurite, the blob SDK) is loaded on first use. */
const localModule = () => import("./backends/local/local-backend-module.js");

/**
 * The backend modules Malachite knows, by the name `--backend` selects. Each is imported only
 * when its backend is chosen: the Azure SDKs take about as long to load as a tutorial's tasks
 * take to run, and the local backend never needs them (nor the Azure backend Docker's client).
 */
const BACKEND_MODULES: Partial<Record<BackendKind, (options: CompositionOptions) => Promise<ContainerModule>>> = {
  local: async (options) => (await localModule()).localBackendModule({ accountUrl: options.accountUrl, dependencies: options.local }),
  azure: async () => (await import("./backends/azure/azure-backend-module.js")).azureBackendModule,
};

export interface Composition<B extends Backend = Backend> {
  backend: B;
  /** Releases everything the composition started (the backend's containers and processes). */
  dispose(): Promise<void>;
}

/** The one place where configuration meets implementations: a container with the configured backend's module. */
async function containerFor(config: MalachiteConfig, options: CompositionOptions): Promise<Container> {
  const module = BACKEND_MODULES[config.backend];
  if (!module) throw new ConfigError(`backend '${config.backend}' is not available`);
  const container = new Container();
  container.bind(TOKENS.Config).toConstantValue(config);
  await container.loadAsync(await module(options));
  return container;
}

/** The configured backend, started (`malachite tutorial`, workflows). */
export async function compose(config: MalachiteConfig, options: CompositionOptions = {}): Promise<Composition> {
  const container = await containerFor(config, options);
  const backend = await container.getAsync(TOKENS.Backend);
  return { backend, dispose: () => container.unbindAllAsync() };
}

function requireLocal(config: MalachiteConfig, what: string): void {
  if (config.backend !== "local") {
    throw new ConfigError(`${what} works with the local backend only, not '${config.backend}'`);
  }
}

/**
 * The local backend with its blob service, for `malachite serve` and `startMalachite()`:
 * the emulator they serve. Any other backend is refused with a ConfigError.
 */
export async function composeLocal(config: MalachiteConfig, options: CompositionOptions = {}): Promise<Composition<LocalBackend>> {
  requireLocal(config, "serving the Batch API");
  const container = await containerFor(config, options);
  const backend = await container.getAsync((await localModule()).LOCAL_BACKEND);
  return { backend, dispose: () => container.unbindAllAsync() };
}

/** `malachite sweep`: the removal of the local backend's leftover node containers, without starting the backend. */
export async function composeLeftoverSweep(config: MalachiteConfig, options: CompositionOptions = {}): Promise<LeftoverSweep> {
  requireLocal(config, "sweeping leftover node containers");
  const container = await containerFor(config, options);
  return container.getAsync((await localModule()).LEFTOVER_SWEEP);
}
