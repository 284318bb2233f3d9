import { ContainerModule } from "inversify";
import type { Backend } from "../../core/backend.js";
import type { MalachiteConfig } from "../../core/config/config.js";
import { TOKENS } from "../../core/tokens.js";
import { AzureBackend } from "./azure-backend.js";

/** Binds the Azure backend: its settings checked on first resolution, closed when the container unbinds it. */
export const azureBackendModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Backend)
    .toResolvedValue((config: MalachiteConfig): Promise<Backend> => AzureBackend.create(config.azure), [TOKENS.Config])
    .inSingletonScope()
    .onDeactivation((backend) => backend.close());
});
