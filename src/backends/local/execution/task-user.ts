import type { UserIdentity } from "../../../core/models/index.js";
import type { NodeRootFs } from "../files/node-root-fs.js";

/** The account a task runs as inside the node container. */
export interface TaskUser {
  /** `root`, or `uid:gid`: ExecSpec.user, as `docker exec --user` takes it. */
  exec: string;
  /** `AZ_BATCH_TASK_USER`. */
  name: string;
  /** `AZ_BATCH_TASK_USER_IDENTITY`: `{Pool|Task}{Admin|NonAdmin}`. */
  identity: string;
  uid: number;
  gid: number;
}

/** The unprivileged Batch user of the node image (docker/Dockerfile). */
export const NON_ADMIN_UID = 1001;
/**
 * The group every task user belongs to, admin or not, as on a real node: resource files get
 * mode 0770 by default, so what an admin start task stages stays readable by the pool's tasks.
 */
export const BATCH_GROUP_GID = 1001;

/** Resolves an auto-user identity: admin runs as root, anything else as the unprivileged `_azbatch`. */
export function resolveTaskUser(identity: UserIdentity | undefined): TaskUser {
  const scope = identity?.autoUser?.scope === "task" ? "Task" : "Pool";
  if (identity?.autoUser?.elevationLevel === "admin") {
    return { exec: `0:${BATCH_GROUP_GID}`, name: "root", identity: `${scope}Admin`, uid: 0, gid: BATCH_GROUP_GID };
  }
  return { exec: `${NON_ADMIN_UID}:${BATCH_GROUP_GID}`, name: "_azbatch", identity: `${scope}NonAdmin`, uid: NON_ADMIN_UID, gid: BATCH_GROUP_GID };
}

/**
 * Makes a directory tree (relative to the node root) the task user's own, as the service does for
 * a task's directory. Links in it are re-owned themselves, never followed: a start task may have
 * left one pointing at a host file.
 */
export async function giveToTaskUser(root: NodeRootFs, directory: string, user: TaskUser): Promise<void> {
  await root.chownTree(directory, user.uid, user.gid);
}
