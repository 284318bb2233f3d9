import { BatchErrors } from "../../../core/batch-errors.js";
import { createLogger } from "../../../core/logger.js";
import type { ComputeNodeUser, NodeUpdateUserParameter } from "../../../core/models/index.js";
import type { NodeRecord, NodeUserRecord, PoolRecord } from "../state/records.js";
import { AccountCommandError, ACCOUNT_EXIT, expiryDateOf, LinuxAccounts, type LinuxAccount } from "../users/linux-accounts.js";
import type { NodeHandle } from "../users/node-command.js";
import { isLinuxUserName } from "../users/pool-user-accounts.js";
import { sha512Crypt } from "../users/sha512-crypt.js";
import type { LocalContext } from "./local-context.js";

const log = createLogger("malachite:users");

/** A node user's default lifetime (REST `ComputeNodeUser.expiryTime`: "the default is 1 day from the current time"). */
const DEFAULT_LIFETIME_MS = 24 * 60 * 60 * 1000;

function linuxAccount(user: NodeUserRecord): LinuxAccount {
  return { name: user.name, admin: user.isAdmin, passwordHash: user.passwordHash, expiryDate: expiryDateOf(user.expiryTime), sshPublicKey: user.sshPublicKey };
}

/**
 * Node users (`ComputeNode_AddUser`, `_UpdateUser`, `_DeleteUser`) and the pool's `userAccounts`:
 * real Linux accounts in the node's container. The node keeps its users across reboots (a new
 * container gets them again), loses them when reimaged. Passwords are kept only as hashes.
 */
export class NodeUsers {
  private readonly accounts: LinuxAccounts;
  /** One change of a node's users at a time, so that two adds of one name cannot both pass the check. */
  private readonly queues = new WeakMap<NodeRecord, Promise<unknown>>();

  constructor(private readonly ctx: LocalContext) {
    this.accounts = new LinuxAccounts(ctx.runtime);
  }

  async add(poolId: string, nodeId: string, user: ComputeNodeUser): Promise<void> {
    if (!user.name) throw BatchErrors.missingProperty("name");
    if (!isLinuxUserName(user.name)) {
      throw BatchErrors.invalidPropertyValue(
        "name",
        user.name,
        "A Linux user name has 1 to 32 letters, digits, '_', '.' or '-', does not start with '-' or '.', and is not a number.",
      );
    }
    const record = this.ctx.state.nodeRecord(poolId, nodeId);
    const kept: NodeUserRecord = {
      name: user.name,
      isAdmin: user.isAdmin ?? false,
      expiryTime: user.expiryTime ?? this.defaultExpiry(),
      ...(user.password ? { passwordHash: sha512Crypt(user.password) } : {}),
      ...(user.sshPublicKey ? { sshPublicKey: user.sshPublicKey } : {}),
    };
    await this.serialized(record, async () => {
      const node = this.readyNode(record);
      if (this.find(record, user.name)) throw BatchErrors.nodeUserExists(user.name);
      try {
        await this.accounts.create(node, linuxAccount(kept));
      } catch (error) {
        if (error instanceof AccountCommandError && error.exitCode === ACCOUNT_EXIT.nameInUse) throw BatchErrors.nodeUserExists(user.name);
        // Made but not finished (its SSH key): no half-made account stays behind to take the name.
        await this.accounts.delete(node, user.name).catch(() => undefined);
        throw this.failure(`adding user ${user.name} to node ${nodeId}`, error);
      }
      this.ctx.states.node.setUsers(record, [...(record.users ?? []), kept]);
    });
  }

  async update(poolId: string, nodeId: string, userName: string, parameter: NodeUpdateUserParameter): Promise<void> {
    const record = this.ctx.state.nodeRecord(poolId, nodeId);
    await this.serialized(record, async () => {
      const node = this.readyNode(record);
      const existing = this.find(record, userName);
      if (!existing) throw BatchErrors.nodeUserNotFound(userName);
      const replaced: NodeUserRecord = {
        name: existing.name,
        isAdmin: existing.isAdmin,
        expiryTime: parameter.expiryTime ?? this.defaultExpiry(),
        ...(parameter.password ? { passwordHash: sha512Crypt(parameter.password) } : {}),
        ...(parameter.sshPublicKey ? { sshPublicKey: parameter.sshPublicKey } : {}),
      };
      try {
        await this.accounts.modify(node, existing.name, { passwordHash: replaced.passwordHash, expiryDate: expiryDateOf(replaced.expiryTime) });
        await this.accounts.setAuthorizedKey(node, existing.name, replaced.sshPublicKey);
      } catch (error) {
        throw this.failure(`updating user ${userName} of node ${nodeId}`, error);
      }
      this.ctx.states.node.setUsers(
        record,
        (record.users ?? []).map((user) => (user === existing ? replaced : user)),
      );
    });
  }

  async delete(poolId: string, nodeId: string, userName: string): Promise<void> {
    const record = this.ctx.state.nodeRecord(poolId, nodeId);
    await this.serialized(record, async () => {
      const node = this.readyNode(record);
      const existing = this.find(record, userName);
      if (!existing) throw BatchErrors.nodeUserNotFound(userName);
      try {
        await this.accounts.delete(node, existing.name);
      } catch (error) {
        // Gone from the node already (a task removed it): the node user is gone all the same.
        if (!(error instanceof AccountCommandError && error.exitCode === ACCOUNT_EXIT.noSuchUser))
          throw this.failure(`deleting user ${userName} of node ${nodeId}`, error);
      }
      this.ctx.states.node.setUsers(
        record,
        (record.users ?? []).filter((user) => user !== existing),
      );
    });
  }

  /**
   * On a node's new container, before its start task: the pool's `userAccounts`, then the node
   * users it had (a reboot keeps them). Resolves with what failed, which makes the node unusable.
   */
  async createOnNewContainer(pool: PoolRecord, record: NodeRecord): Promise<string[]> {
    const node = record.containerId ? { containerId: record.containerId, hostRoot: record.hostRoot } : undefined;
    if (!node) return [];
    const failures: string[] = [];
    const accounts: LinuxAccount[] = [
      ...(pool.pool.userAccounts ?? []).map((account) => ({
        name: account.name,
        admin: account.elevationLevel === "admin",
        passwordHash: pool.accountPasswordHashes?.[account.name],
        uid: account.linuxUserConfiguration?.uid,
        gid: account.linuxUserConfiguration?.gid,
      })),
      ...(record.users ?? []).map(linuxAccount),
    ];
    for (const account of accounts) {
      try {
        await this.accounts.create(node, account);
      } catch (error) {
        log.warn(`node ${record.node.id}: could not create user ${account.name}: ${(error as Error).message}`);
        failures.push(`user account ${account.name}: ${(error as Error).message}`);
      }
    }
    return failures;
  }

  private find(record: NodeRecord, name: string): NodeUserRecord | undefined {
    return record.users?.find((user) => user.name === name);
  }

  private defaultExpiry(): string {
    return new Date(this.ctx.clock.now() + DEFAULT_LIFETIME_MS).toISOString();
  }

  /** The node's container, if the node is idle or running (REST: users are added "only when it is in the idle or running state"). */
  private readyNode(record: NodeRecord): NodeHandle {
    const { state, id } = record.node;
    if ((state !== "idle" && state !== "running") || record.leaving || !record.containerId) throw BatchErrors.nodeNotReady(id, state);
    return { containerId: record.containerId, hostRoot: record.hostRoot };
  }

  private failure(what: string, error: unknown): Error {
    log.warn(`${what} failed: ${(error as Error).message}`);
    return BatchErrors.serverError(`${what} failed on the node: ${(error as Error).message}`);
  }

  private serialized<T>(record: NodeRecord, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(record) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      record,
      next.catch(() => undefined),
    );
    return next;
  }
}
