import type { ElevationLevel } from "./common.js";

/**
 * `POST /pools/{poolId}/nodes/{nodeId}/users` (REST `ComputeNodeUser`, TypeSpec
 * `BatchNodeUserCreateOptions`): a user account on one node, for remote login and for tasks.
 */
export interface ComputeNodeUser {
  name: string;
  /** An administrator of the node; false by default. */
  isAdmin?: boolean;
  /** When the account expires (ISO 8601); one day after its creation by default. Linux nodes keep it to the day. */
  expiryTime?: string;
  password?: string;
  /** An OpenSSH public key (Linux nodes only). */
  sshPublicKey?: string;
}

/**
 * `PUT /pools/{poolId}/nodes/{nodeId}/users/{userName}` (REST `NodeUpdateUserParameter`): replaces
 * the account's updatable properties; an omitted password or key is removed, an omitted
 * expiry time becomes one day from now.
 */
export interface NodeUpdateUserParameter {
  password?: string;
  expiryTime?: string;
  sshPublicKey?: string;
}

/** The Linux part of a pool's user account (REST `LinuxUserConfiguration`). */
export interface LinuxUserConfiguration {
  /** Both or neither of `uid` and `gid`; the node picks them when omitted. */
  uid?: number;
  gid?: number;
  /** The account's SSH private key, for passwordless SSH between the pool's nodes. */
  sshPrivateKey?: string;
}

/** One of a pool's `userAccounts` (REST `UserAccount`): created on every node before its start task. */
export interface UserAccount {
  name: string;
  /** Required when the pool is created; never returned by Malachite, which keeps only its hash. */
  password?: string;
  /** `nonadmin` by default. */
  elevationLevel?: ElevationLevel;
  linuxUserConfiguration?: LinuxUserConfiguration;
}
