import { validatePoolAddAutoScale, type Statement } from "../../../core/autoscale/index.js";
import type { PoolAddParameter } from "../../../core/models/index.js";
import { validatePoolAdd } from "../../../core/validation/validate-add.js";
import { MAX_POOL_PACKAGE_REFERENCES, validatePackageReferences } from "../../../core/validation/validate-pool-update.js";
import { poolUserAccounts, type PoolUserAccounts } from "../users/pool-user-accounts.js";
import { checkBlobMounts } from "./blob-mount-rules.js";
import { validateContainerConfiguration, validateContainerSettings } from "./container-validation.js";

/** What a new pool's checks give its creation: the compiled autoscale formula, the user accounts as kept. */
export interface CheckedPoolAdd {
  formula: Statement[] | undefined;
  accounts: PoolUserAccounts | undefined;
}

/**
 * Every check of a new pool that needs nothing but the request: the service's rules, then what
 * the local backend can run (containers, blob mounts of its own account, Linux user accounts).
 * The autoscale formula is compiled last: an auto pool whose formula is all that is wrong is still
 * created with its job, and fails then (auto-pools.ts).
 */
export function checkPoolAdd(parameter: PoolAddParameter, blobAccountName: string): CheckedPoolAdd {
  validatePoolAdd(parameter);
  validateContainerConfiguration("virtualMachineConfiguration.containerConfiguration", parameter.virtualMachineConfiguration?.containerConfiguration);
  validateContainerSettings("startTask.containerSettings", parameter.startTask?.containerSettings);
  checkBlobMounts(parameter.mountConfiguration, blobAccountName);
  const accounts = poolUserAccounts(parameter.userAccounts);
  validatePackageReferences(parameter.applicationPackageReferences, MAX_POOL_PACKAGE_REFERENCES);
  return { formula: validatePoolAddAutoScale(parameter), accounts };
}
