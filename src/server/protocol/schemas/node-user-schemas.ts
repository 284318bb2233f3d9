import type { ComputeNodeUser, LinuxUserConfiguration, NodeUpdateUserParameter, UserAccount } from "../../../core/models/index.js";
import { object, optional, required, unsupported, type Parser } from "../body-schema.js";
import { boolean, dateTime, enumOf, integer, string } from "../body-values.js";

/** Node users and pool user accounts (SPEC models.tsp `BatchNodeUserCreateOptions`, `BatchNodeUserUpdateOptions`, `UserAccount`). */

/** `POST /pools/{poolId}/nodes/{nodeId}/users`. */
export const parseNodeUserAdd: Parser<ComputeNodeUser> = object("ComputeNodeUser", {
  name: required(string),
  isAdmin: optional(boolean),
  expiryTime: optional(dateTime),
  password: optional(string),
  sshPublicKey: optional(string),
});

/** `PUT /pools/{poolId}/nodes/{nodeId}/users/{userName}`. */
export const parseNodeUserUpdate: Parser<NodeUpdateUserParameter> = object("NodeUpdateUserParameter", {
  password: optional(string),
  expiryTime: optional(dateTime),
  sshPublicKey: optional(string),
});

const linuxUserConfiguration: Parser<LinuxUserConfiguration> = object("LinuxUserConfiguration", {
  uid: optional(integer()),
  gid: optional(integer()),
  sshPrivateKey: optional(string),
});

/** A pool's `userAccounts[]`. */
export const userAccount: Parser<UserAccount> = object("UserAccount", {
  name: required(string),
  password: required(string),
  elevationLevel: optional(enumOf(["nonadmin", "admin"])),
  linuxUserConfiguration: optional(linuxUserConfiguration),
  windowsUserConfiguration: unsupported("Malachite's nodes are Linux containers."),
});
