import { BatchErrors } from "../../../core/batch-errors.js";
import type { UserAccount } from "../../../core/models/index.js";
import { sha512Crypt } from "./sha512-crypt.js";

/** Linux user names as useradd takes them: letters, digits, `_`, `.`, `-`; not starting with `-` or `.`; not a number. */
const LINUX_USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Whether `name` can name a Linux account on a node (at most `maxLength` characters). */
export function isLinuxUserName(name: string, maxLength = 32): boolean {
  return name.length <= maxLength && LINUX_USER_NAME.test(name) && !/^\d+$/.test(name);
}

/** A pool's user accounts as kept (no password) and their passwords' hashes, by account name. */
export interface PoolUserAccounts {
  kept: UserAccount[];
  passwordHashes: Record<string, string>;
}

/**
 * Checks a pool's `userAccounts` (REST `UserAccount`: a name of at most 20 characters, a
 * password, `uid` and `gid` "specified together or not at all") and hashes their passwords.
 * The pool keeps no password: it never returns one, and the journal holds only the hashes.
 */
export function poolUserAccounts(accounts: UserAccount[] | undefined): PoolUserAccounts | undefined {
  if (!accounts) return undefined;
  const names = new Set<string>();
  const kept: UserAccount[] = [];
  const passwordHashes: Record<string, string> = {};
  for (const [index, account] of accounts.entries()) {
    const path = `userAccounts[${index}]`;
    if (!account.name) throw BatchErrors.missingProperty(`${path}.name`);
    if (!account.password) throw BatchErrors.missingProperty(`${path}.password`);
    if (!isLinuxUserName(account.name, 20)) {
      throw BatchErrors.invalidPropertyValue(
        `${path}.name`,
        account.name,
        "A user account name on a Linux node has at most 20 letters, digits, '_', '.' or '-', does not start with '-' or '.', and is not a number.",
      );
    }
    if (names.has(account.name)) throw BatchErrors.invalidPropertyValue(`${path}.name`, account.name, "The pool already has a user account of this name.");
    names.add(account.name);
    const linux = account.linuxUserConfiguration;
    if (linux?.sshPrivateKey !== undefined) {
      throw BatchErrors.unsupportedProperty(
        `${path}.linuxUserConfiguration.sshPrivateKey`,
        "Malachite's nodes run no SSH server, and it would keep the private key in its journal: share files through AZ_BATCH_NODE_SHARED_DIR instead.",
      );
    }
    if (linux && (linux.uid === undefined) !== (linux.gid === undefined)) {
      throw BatchErrors.invalidPropertyValue(
        `${path}.linuxUserConfiguration`,
        linux.uid ?? linux.gid,
        "The uid and gid must be specified together or not at all.",
      );
    }
    for (const key of ["uid", "gid"] as const) {
      const id = linux?.[key];
      if (id !== undefined && (!Number.isInteger(id) || id < 1 || id > 60000)) {
        throw BatchErrors.invalidPropertyValue(`${path}.linuxUserConfiguration.${key}`, id, "The value must be an integer from 1 to 60000.");
      }
    }
    const { password, ...withoutPassword } = account;
    kept.push(withoutPassword);
    passwordHashes[account.name] = sha512Crypt(password);
  }
  return { kept, passwordHashes };
}
