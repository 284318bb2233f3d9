import path from "node:path";

/** `AZ_BATCH_NODE_ROOT_DIR` on a Linux node. */
export const NODE_ROOT_DIR = "/mnt/batch/tasks";

/** The directories every node has below its root (files-and-directories doc). */
export const NODE_DIRECTORIES = ["shared", "startup", "startup/wd", "applications", "fsmounts", "volatile", "volatile/pids", "workitems"];

export const STARTUP_DIR = "startup";

/** A task's directory relative to the node root: `workitems/<job>/job-1/<task>`. */
export function taskDirectory(jobId: string, taskId: string): string {
  return path.posix.join("workitems", jobId, "job-1", taskId);
}

/** Maps a path relative to the node root onto the host and into the container. */
export interface NodePaths {
  host(relative: string): string;
  container(relative: string): string;
}

export function nodePaths(hostRoot: string): NodePaths {
  return {
    host: (relative) => path.join(hostRoot, relative),
    container: (relative) => path.posix.join(NODE_ROOT_DIR, relative),
  };
}
