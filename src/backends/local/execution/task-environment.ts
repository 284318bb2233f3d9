import path from "node:path";
import type { EnvironmentSetting } from "../../../core/models/index.js";
import { NODE_ROOT_DIR } from "./node-layout.js";
import type { TaskUserSpec } from "./task-user.js";

export interface NodeIdentity {
  accountName: string;
  accountUrl: string;
  poolId: string;
  nodeId: string;
}

export interface TaskIdentity {
  jobId: string;
  taskId: string;
}

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The environment a task (or, without `task`, the start task) sees on a node: the `AZ_BATCH_*`
 * variables of the service, then the job's and the task's own settings, which may override.
 */
export function taskEnvironment(options: {
  node: NodeIdentity;
  user: TaskUserSpec;
  /** The task's directory inside the container. */
  taskDir: string;
  task?: TaskIdentity;
  /** The job preparation task's directory inside the container, for the job's other tasks when the job has one. */
  jobPrepDir?: string;
  settings?: (EnvironmentSetting[] | undefined)[];
}): Record<string, string> {
  const { node, user, taskDir, task } = options;
  const workingDir = path.posix.join(taskDir, "wd");
  const shared = path.posix.join(NODE_ROOT_DIR, "shared");
  const env: Record<string, string> = {
    AZ_BATCH_ACCOUNT_NAME: node.accountName,
    AZ_BATCH_ACCOUNT_URL: node.accountUrl,
    AZ_BATCH_POOL_ID: node.poolId,
    AZ_BATCH_NODE_ID: node.nodeId,
    AZ_BATCH_NODE_IS_DEDICATED: "true",
    AZ_BATCH_NODE_ROOT_DIR: NODE_ROOT_DIR,
    AZ_BATCH_NODE_SHARED_DIR: shared,
    AZ_BATCH_NODE_STARTUP_DIR: path.posix.join(NODE_ROOT_DIR, "startup"),
    AZ_BATCH_NODE_MOUNTS_DIR: path.posix.join(NODE_ROOT_DIR, "fsmounts"),
    AZ_BATCH_TASK_DIR: taskDir,
    AZ_BATCH_TASK_WORKING_DIR: workingDir,
    AZ_BATCH_CERTIFICATES_DIR: path.posix.join(taskDir, "certs"),
    AZ_BATCH_TASK_USER: user.name,
    AZ_BATCH_TASK_USER_IDENTITY: user.identity,
    HOME: workingDir,
    PWD: workingDir,
    USER: user.name,
    PATH: `${SYSTEM_PATH}:${shared}:${workingDir}`,
  };
  if (task) {
    env.AZ_BATCH_JOB_ID = task.jobId;
    env.AZ_BATCH_TASK_ID = task.taskId;
  }
  if (options.jobPrepDir !== undefined) {
    env.AZ_BATCH_JOB_PREP_DIR = options.jobPrepDir;
    env.AZ_BATCH_JOB_PREP_WORKING_DIR = path.posix.join(options.jobPrepDir, "wd");
  }
  for (const list of options.settings ?? []) {
    for (const setting of list ?? []) env[setting.name] = setting.value ?? "";
  }
  return env;
}
