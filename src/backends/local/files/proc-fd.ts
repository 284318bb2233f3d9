/**
 * Linux's view of open descriptors through /proc/self/fd, which gives Node what it lacks:
 * `openat`-style lookups relative to an open directory, and the real path of an open file.
 */
import fs from "node:fs";
import { readlink, type FileHandle } from "node:fs/promises";

/**
 * O_PATH (Linux; Node does not export it): a descriptor that names a file without opening it,
 * so naming a FIFO does not block and naming a device does not touch the device.
 */
export const O_PATH = 0o10000000;
export const { O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = fs.constants;

/**
 * A path to the object open as `handle`, or to `name` in that directory. The kernel resolves
 * `/proc/self/fd/N` to the very object (not to the path it was opened by), so a lookup through it
 * stays in that directory whatever is renamed or replaced meanwhile. `name` is one path component.
 */
export function fdPath(handle: FileHandle, name?: string): string {
  if (name !== undefined && (name === "" || name === "." || name === ".." || name.includes("/"))) {
    throw new Error(`not a single path component: ${JSON.stringify(name)}`);
  }
  return name === undefined ? `/proc/self/fd/${handle.fd}` : `/proc/self/fd/${handle.fd}/${name}`;
}

/** Where the object open as `handle` really is: the kernel's path of it, free of links. */
export function realPathOf(handle: FileHandle): Promise<string> {
  return readlink(fdPath(handle));
}
