import type { Backend, PoolPlacement } from "../core/backend.js";
import type { PoolAddParameter, TaskAddParameter, TaskContainerSettings } from "../core/models/index.js";
import { doubleQuote, wrapCommandsInShell } from "./shell-commands.js";

/** Where the tutorial's pool runs when the backend states no preference (the local backend ignores it). */
export const DEFAULT_PLACEMENT: PoolPlacement = {
  vmSize: "standard_d2s_v3",
  virtualMachineConfiguration: {
    imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
    nodeAgentSKUId: "batch.node.ubuntu 22.04",
  },
};

/** Container settings for tasks when the backend runs them in a container image. */
function containerSettings(backend: Backend): TaskContainerSettings | undefined {
  const image = backend.taskContainer;
  if (!image) return undefined;
  return { imageName: image.imageName, ...(image.registry ? { registry: image.registry } : {}) };
}

/**
 * Task slots per node: the tasks are single-threaded programs, so a node runs one per core of the
 * default VM size (standard_d2s_v3 has 2), not one at a time. Any VM size allows it (up to 4 per core).
 */
export const TUTORIAL_TASK_SLOTS_PER_NODE = 2;

/** The tutorial's pool: a start task, as admin, that stages the task program into the shared directory. */
export function tutorialPool(backend: Backend, poolId: string, nodes: number, taskFile: string, taskProgramUrl: string): PoolAddParameter {
  const placement = backend.poolPlacement ?? DEFAULT_PLACEMENT;
  const image = backend.taskContainer;
  return {
    id: poolId,
    vmSize: placement.vmSize,
    virtualMachineConfiguration: {
      ...placement.virtualMachineConfiguration,
      ...(image
        ? {
            containerConfiguration: {
              type: "dockerCompatible",
              containerImageNames: [image.imageName],
              ...(image.registry ? { containerRegistries: [image.registry] } : {}),
            },
          }
        : {}),
    },
    targetDedicatedNodes: nodes,
    taskSlotsPerNode: TUTORIAL_TASK_SLOTS_PER_NODE,
    startTask: {
      commandLine: wrapCommandsInShell([`cp -p ${taskFile} $AZ_BATCH_NODE_SHARED_DIR`]),
      resourceFiles: [{ httpUrl: taskProgramUrl, filePath: taskFile }],
      userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } },
      waitForSuccess: true,
      ...(image ? { containerSettings: containerSettings(backend) } : {}),
    },
  };
}

/** One tutorial task: count the top words of one input and upload the result with a write-only container SAS. */
export function tutorialTask(
  backend: Backend,
  options: { index: number; inputName: string; inputUrl: string; taskFile: string; numWords: number; outputContainer: string; outputSas: string },
): TaskAddParameter {
  const command = [
    `node $AZ_BATCH_NODE_SHARED_DIR/${options.taskFile}`,
    `--filepath ${doubleQuote(options.inputName)}`,
    `--numwords ${options.numWords}`,
    `--storageaccount ${backend.storage.accountName}`,
    `--storagecontainer ${options.outputContainer}`,
    `--sastoken ${doubleQuote(options.outputSas)}`,
    `--blobendpoint ${doubleQuote(backend.storage.blobEndpoint)}`,
  ].join(" ");
  const settings = containerSettings(backend);
  return {
    id: `topNtask${options.index}`,
    commandLine: wrapCommandsInShell([command]),
    resourceFiles: [{ httpUrl: options.inputUrl, filePath: options.inputName }],
    ...(settings ? { containerSettings: settings } : {}),
  };
}
