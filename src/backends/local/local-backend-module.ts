import { ContainerModule } from "inversify";
import type { Backend } from "../../core/backend.js";
import type { MalachiteConfig } from "../../core/config/config.js";
import { TOKENS } from "../../core/tokens.js";
import { LocalBackend } from "./local-backend.js";

/** Binds the local backend: started on first resolution, closed when the container unbinds it. */
export const localBackendModule = new ContainerModule(({ bind }) => {
  bind(TOKENS.Backend)
    .toResolvedValue((config: MalachiteConfig): Promise<Backend> => LocalBackend.start(config.local), [TOKENS.Config])
    .inSingletonScope()
    .onDeactivation((backend) => backend.close());
});
