import { BatchErrors } from "../batch-errors.js";
import type { JobAddParameter, PoolAddParameter, TaskAddParameter } from "../models/index.js";
import { optionalArray, optionalBoolean, optionalDuration, optionalEnum, optionalInteger, optionalObject, optionalString, requireString } from "./checks.js";
import { validateId } from "./ids.js";
import { validateExitConditions, validateTaskDependencies } from "./validate-dependencies.js";
import { validateMountConfiguration } from "./validate-mount-configuration.js";
import { validateVirtualMachineConfiguration } from "./validate-vm-configuration.js";
import { validateMultiInstanceSettings } from "./validate-multi-instance.js";
import { validateJobTasks } from "./validate-job-tasks.js";
import { validateEnvironmentSettings, validateOutputFiles, validateResourceFiles, validateRetryCount, validateUserIdentity } from "./validate-task-parts.js";
import { optionalResizeTimeout } from "./resize-timeout.js";
import { validatePoolInfo, type JobOwner } from "./validate-auto-pool.js";

/** What start tasks and tasks share: the command line, its files, environment and user. */
function validateCommand(prefix: string, input: Record<string, unknown>): void {
  requireString(`${prefix}commandLine`, input.commandLine);
  validateResourceFiles(`${prefix}resourceFiles`, input.resourceFiles);
  validateEnvironmentSettings(`${prefix}environmentSettings`, input.environmentSettings);
  validateUserIdentity(`${prefix}userIdentity`, input.userIdentity);
}

/** The service's rules for a new pool; throws the 400 error the service answers with. */
export function validatePoolAdd(pool: PoolAddParameter): void {
  const input = pool as unknown as Record<string, unknown>;
  validateId("id", input.id);
  optionalString("displayName", input.displayName);
  requireString("vmSize", input.vmSize);
  optionalResizeTimeout(input.resizeTimeout);
  optionalInteger("targetDedicatedNodes", input.targetDedicatedNodes, 0, 2000);
  optionalInteger("targetLowPriorityNodes", input.targetLowPriorityNodes, 0, 2000);
  optionalInteger("taskSlotsPerNode", input.taskSlotsPerNode, 1, 256);
  optionalBoolean("enableAutoScale", input.enableAutoScale);
  optionalBoolean("enableInterNodeCommunication", input.enableInterNodeCommunication);
  validateVirtualMachineConfiguration("virtualMachineConfiguration", input.virtualMachineConfiguration);
  validateMountConfiguration("mountConfiguration", input.mountConfiguration);
  optionalString("autoScaleFormula", input.autoScaleFormula);
  optionalDuration("autoScaleEvaluationInterval", input.autoScaleEvaluationInterval);
  const policy = optionalObject("taskSchedulingPolicy", input.taskSchedulingPolicy);
  if (policy) optionalEnum("taskSchedulingPolicy.nodeFillType", policy.nodeFillType, ["spread", "pack"]);
  const startTask = optionalObject("startTask", input.startTask);
  if (startTask) {
    validateCommand("startTask.", startTask);
    validateRetryCount("startTask.maxTaskRetryCount", startTask.maxTaskRetryCount);
    optionalBoolean("startTask.waitForSuccess", startTask.waitForSuccess);
  }
  optionalArray("metadata", input.metadata);
}

/** The service's rules for a new job; a job schedule's jobs (`owner` `jobSchedule`) may also have a pool for the schedule. */
export function validateJobAdd(job: JobAddParameter, owner: JobOwner = "job"): void {
  const input = job as unknown as Record<string, unknown>;
  validateId("id", input.id);
  optionalString("displayName", input.displayName);
  optionalInteger("priority", input.priority, -1000, 1000);
  optionalInteger("maxParallelTasks", input.maxParallelTasks, -1);
  if (input.maxParallelTasks === 0) {
    throw BatchErrors.invalidPropertyValue("maxParallelTasks", 0, "The value must be -1 or greater than 0.");
  }
  const poolInfo = optionalObject("poolInfo", input.poolInfo);
  if (!poolInfo) throw BatchErrors.missingProperty("poolInfo");
  validatePoolInfo("poolInfo", poolInfo, owner);
  const constraints = optionalObject("constraints", input.constraints);
  optionalDuration("constraints.maxWallClockTime", constraints?.maxWallClockTime);
  validateRetryCount("constraints.maxTaskRetryCount", constraints?.maxTaskRetryCount);
  validateEnvironmentSettings("commonEnvironmentSettings", input.commonEnvironmentSettings);
  optionalEnum("onAllTasksComplete", input.onAllTasksComplete, ["noaction", "terminatejob"]);
  optionalEnum("onTaskFailure", input.onTaskFailure, ["noaction", "performexitoptionsjobaction"]);
  optionalBoolean("usesTaskDependencies", input.usesTaskDependencies);
  optionalArray("metadata", input.metadata);
  validateJobTasks(job);
}

/** The service's rules for a new task. */
export function validateTaskAdd(task: TaskAddParameter): void {
  const input = task as unknown as Record<string, unknown>;
  validateId("id", input.id);
  optionalString("displayName", input.displayName);
  validateCommand("", input);
  validateOutputFiles("outputFiles", input.outputFiles);
  optionalInteger("requiredSlots", input.requiredSlots, 1, 256);
  const constraints = optionalObject("constraints", input.constraints);
  optionalDuration("constraints.maxWallClockTime", constraints?.maxWallClockTime);
  optionalDuration("constraints.retentionTime", constraints?.retentionTime);
  validateRetryCount("constraints.maxTaskRetryCount", constraints?.maxTaskRetryCount);
  validateTaskDependencies("dependsOn", input.dependsOn);
  validateExitConditions("exitConditions", input.exitConditions);
  validateMultiInstanceSettings(input);
}
