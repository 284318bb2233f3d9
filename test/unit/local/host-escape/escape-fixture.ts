/**
 * A node root and, beside it, "host" files a task must never reach: `outside/` and a sibling
 * whose name starts with the root's (`node-evil/`), which a naive prefix check lets through.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const SECRET = "host secret, never to be served\n";

export interface EscapeFixture {
  /** The node root. */
  root: string;
  /** A host directory outside the root, holding `secret.txt`. */
  outside: string;
  /** `<root>-evil`, holding `secret.txt` too. */
  sibling: string;
  /** A path below the root. */
  at(relative: string): string;
  /** Both secret files, unchanged. */
  secretsIntact(): Promise<boolean>;
  cleanup(): Promise<void>;
}

export async function escapeFixture(): Promise<EscapeFixture> {
  const base = await mkdtemp(path.join(os.tmpdir(), "malachite-escape-"));
  const root = path.join(base, "node");
  const outside = path.join(base, "outside");
  const sibling = `${root}-evil`;
  for (const dir of [root, outside, sibling]) await mkdir(dir);
  for (const dir of [outside, sibling]) await writeFile(path.join(dir, "secret.txt"), SECRET, { mode: 0o600 });
  return {
    root,
    outside,
    sibling,
    at: (relative) => path.join(root, relative),
    secretsIntact: async () =>
      (await Promise.all([outside, sibling].map((dir) => readFile(path.join(dir, "secret.txt"), "utf8")))).every((text) => text === SECRET),
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
