import { Container, type ContainerModule } from "inversify";
import type { Backend, BackendKind } from "./core/backend.js";
import { ConfigError, type MalachiteConfig } from "./core/config/config.js";
import { TOKENS } from "./core/tokens.js";
import { azureBackendModule } from "./backends/azure/azure-backend-module.js";
import { localBackendModule } from "./backends/local/local-backend-module.js";

/** The backend modules Malachite knows, by the name `--backend` selects. */
const BACKEND_MODULES: Partial<Record<BackendKind, ContainerModule>> = {
  local: localBackendModule,
  azure: azureBackendModule,
};

export interface Composition {
  backend: Backend;
  /** Releases everything the composition started (the backend's containers and processes). */
  dispose(): Promise<void>;
}

/** The one place where configuration meets implementations. */
export async function compose(config: MalachiteConfig): Promise<Composition> {
  const module = BACKEND_MODULES[config.backend];
  if (!module) throw new ConfigError(`backend '${config.backend}' is not available`);
  const container = new Container();
  container.bind(TOKENS.Config).toConstantValue(config);
  await container.load(module);
  const backend = await container.getAsync(TOKENS.Backend);
  return { backend, dispose: () => container.unbindAllAsync() };
}
