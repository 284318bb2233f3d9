import { BATCH_GROUP_GID } from "../execution/task-user.js";
import type { NodeRuntime } from "../docker/node-runtime.js";
import { runAsRoot, type CommandOutput, type NodeHandle } from "./node-command.js";

/** A Linux account as Malachite makes it on a node: `useradd`, `usermod` and `userdel` as root in its container. */
export interface LinuxAccount {
  name: string;
  /** In the `sudo` group, when the node image has one. */
  admin: boolean;
  /** A crypt(3) hash (`$6$...`); none: the account has no password (`!`). */
  passwordHash?: string;
  /** The account expires at the start of this day (`YYYY-MM-DD`); none: never. */
  expiryDate?: string;
  /** Both or neither; the node picks them when omitted. */
  uid?: number;
  gid?: number;
  /** An OpenSSH public key, written to `~/.ssh/authorized_keys`. */
  sshPublicKey?: string;
}

/**
 * Writes (`$3` given) or removes the account's `~/.ssh/authorized_keys`, owned by it, mode 0600;
 * `$1` is the home directory, `$2` the account. The key is an argument: it is public.
 */
export const AUTHORIZED_KEYS_SCRIPT =
  'set -e; keys="$1/.ssh/authorized_keys"; if [ -z "$3" ]; then rm -f "$keys"; exit 0; fi; ' +
  'umask 077; mkdir -p "$1/.ssh"; printf "%s\\n" "$3" > "$keys"; chown -R "$2:" "$1/.ssh"';

/** Where a Linux account command failed: its exit code (useradd's 9 is "name taken") and what it said. */
export class AccountCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    output: string,
  ) {
    super(`${command} exited with ${exitCode}: ${output.trim() || "no output"}`);
    this.name = "AccountCommandError";
  }
}

/** useradd's and userdel's exit codes (shadow-utils man pages). */
export const ACCOUNT_EXIT = { nameInUse: 9, uidInUse: 4, invalidArgument: 3, noSuchUser: 6 } as const;

/** The day an account's `expiryTime` falls in, rounded up: Linux expires accounts by the day. */
export function expiryDateOf(expiryTime: string): string {
  const time = new Date(expiryTime);
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  if (day.getTime() < time.getTime()) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** No password: the shadow entry `!` refuses every password. */
const NO_PASSWORD = "!";

export class LinuxAccounts {
  constructor(private readonly runtime: NodeRuntime) {}

  private async run(node: NodeHandle, argv: string[]): Promise<CommandOutput> {
    return runAsRoot(this.runtime, node, argv);
  }

  private async check(node: NodeHandle, argv: string[]): Promise<void> {
    const output = await this.run(node, argv);
    if (output.exitCode !== 0) throw new AccountCommandError(argv[0] as string, output.exitCode, output.stderr || output.stdout);
  }

  /** Whether the node's group database has this group (a name or a gid). */
  private async hasGroup(node: NodeHandle, group: string): Promise<boolean> {
    return (await this.run(node, ["getent", "group", group])).exitCode === 0;
  }

  /**
   * Creates the account with a home directory and bash, in the Batch group (so it reads what
   * start tasks stage for the pool's tasks) and, for an administrator, in `sudo` if the node
   * has that group. A `gid` the node lacks becomes a group of the account's name; a `uid` the
   * node image already uses (`node:20` images have uid 1000) is shared (`--non-unique`), since
   * the pool asked for that uid.
   */
  async create(node: NodeHandle, account: LinuxAccount): Promise<void> {
    if (account.gid !== undefined && !(await this.hasGroup(node, String(account.gid)))) {
      await this.check(node, ["groupadd", "--gid", String(account.gid), account.name]);
    }
    const groups = [String(BATCH_GROUP_GID)];
    if (account.admin && (await this.hasGroup(node, "sudo"))) groups.push("sudo");
    const argv = ["useradd", "--create-home", "--shell", "/bin/bash", "--groups", groups.join(",")];
    if (account.uid !== undefined) argv.push("--uid", String(account.uid), "--non-unique");
    if (account.gid !== undefined) argv.push("--gid", String(account.gid));
    if (account.expiryDate !== undefined) argv.push("--expiredate", account.expiryDate);
    argv.push("--password", account.passwordHash ?? NO_PASSWORD, account.name);
    await this.check(node, argv);
    if (account.sshPublicKey) await this.setAuthorizedKey(node, account.name, account.sshPublicKey);
  }

  /** Makes `key` the account's only authorized SSH key; none: it has none. */
  async setAuthorizedKey(node: NodeHandle, name: string, key: string | undefined): Promise<void> {
    await this.check(node, ["sh", "-c", AUTHORIZED_KEYS_SCRIPT, "malachite-ssh-key", `/home/${name}`, name, key ?? ""]);
  }

  /** Replaces the password (none: `!`) and the expiry date (none: never). */
  async modify(node: NodeHandle, name: string, change: { passwordHash?: string; expiryDate?: string }): Promise<void> {
    await this.check(node, ["usermod", "--password", change.passwordHash ?? NO_PASSWORD, "--expiredate", change.expiryDate ?? "", name]);
  }

  /** Removes the account and its home directory, even while its processes run (as the service does). */
  async delete(node: NodeHandle, name: string): Promise<void> {
    await this.check(node, ["userdel", "--force", "--remove", name]);
  }

  /** The account's uid and primary gid from the node's passwd database; undefined if it has no such account. */
  async lookUp(node: NodeHandle, name: string): Promise<{ uid: number; gid: number } | undefined> {
    const output = await this.run(node, ["getent", "passwd", name]);
    if (output.exitCode === 2) return undefined;
    if (output.exitCode !== 0) throw new AccountCommandError("getent", output.exitCode, output.stderr);
    const [, , uid, gid] = output.stdout.trim().split(":");
    return { uid: Number(uid), gid: Number(gid) };
  }
}
