/**
 * The user and group databases of the fake runtime's nodes: `useradd`, `usermod`, `userdel`,
 * `groupadd` and `getent` run as programs against a table per node container, as shadow-utils
 * and glibc would (their options, exit codes and output), so the local backend's user
 * management is tested without Docker. A new container starts with the node image's accounts.
 */
import { AUTHORIZED_KEYS_SCRIPT } from "../../src/backends/local/users/linux-accounts.js";
import type { Program, ProgramOutcome } from "./fake-programs.js";

export interface FakeAccount {
  name: string;
  uid: number;
  gid: number;
  /** Supplementary groups, by name. */
  groups: string[];
  home: string;
  shell: string;
  /** The shadow password field: a crypt(3) hash, or `!`. */
  passwordHash: string;
  /** `YYYY-MM-DD`, or "" for never. */
  expireDate: string;
  /** The content of `~/.ssh/authorized_keys`, if it has one. */
  authorizedKeys?: string;
}

interface NodeDatabase {
  users: Map<string, FakeAccount>;
  /** Group name → gid. */
  groups: Map<string, number>;
}

function imageDatabase(): NodeDatabase {
  const account = (name: string, id: number, home: string): FakeAccount => ({
    name,
    uid: id,
    gid: id,
    groups: [],
    home,
    shell: "/bin/bash",
    passwordHash: "!",
    expireDate: "",
  });
  return {
    users: new Map([
      ["root", account("root", 0, "/root")],
      ["_azbatch", account("_azbatch", 1001, "/nonexistent")],
    ]),
    groups: new Map([
      ["root", 0],
      ["sudo", 27],
      ["_azbatch", 1001],
    ]),
  };
}

/** Splits `--option value` pairs (and flags) from the operands. */
function parseOptions(args: string[], flags: readonly string[]): { options: Map<string, string>; operands: string[] } {
  const options = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("--")) operands.push(arg);
    else if (flags.includes(arg)) options.set(arg, "");
    else options.set(arg, args[++i] ?? "");
  }
  return { options, operands };
}

const fail = (exitCode: number, stderr: string): ProgramOutcome => ({ exitCode, stderr: `${stderr}\n` });

export class FakeNodeUsers {
  private readonly databases = new Map<string, NodeDatabase>();
  /** User programs (by name: `useradd`, `sh` for the authorized-keys script, ...) that fail, as on a broken node. */
  readonly failing = new Set<string>();

  /** The node container's accounts (the image's, then what was added). */
  of(containerId: string): FakeAccount[] {
    return [...this.database(containerId).users.values()];
  }

  account(containerId: string, name: string): FakeAccount | undefined {
    return this.database(containerId).users.get(name);
  }

  /** The user program `argv` runs, bound to the node's databases; undefined for any other program. */
  program(containerId: string, argv: string[]): Program | undefined {
    const name = argv[0]?.split("/").pop();
    const db = () => this.database(containerId);
    const program = this.bound(name, argv, db);
    if (!program || !this.failing.has(name as string)) return program;
    return () => fail(1, `${name}: failed (as the test asked)`);
  }

  private bound(name: string | undefined, argv: string[], db: () => NodeDatabase): Program | undefined {
    switch (name) {
      case "useradd":
        return (run) => this.useradd(db(), run.argv.slice(1));
      case "usermod":
        return (run) => this.usermod(db(), run.argv.slice(1));
      case "userdel":
        return (run) => this.userdel(db(), run.argv.slice(1));
      case "groupadd":
        return (run) => this.groupadd(db(), run.argv.slice(1));
      case "getent":
        return (run) => this.getent(db(), run.argv.slice(1));
      case "sh":
        return argv[1] === "-c" && argv[2] === AUTHORIZED_KEYS_SCRIPT ? (run) => this.authorizedKeys(db(), run.argv.slice(4)) : undefined;
      default:
        return undefined;
    }
  }

  private database(containerId: string): NodeDatabase {
    let database = this.databases.get(containerId);
    if (!database) this.databases.set(containerId, (database = imageDatabase()));
    return database;
  }

  private groupId(db: NodeDatabase, group: string): number | undefined {
    if (/^\d+$/.test(group)) return [...db.groups.values()].includes(Number(group)) ? Number(group) : undefined;
    return db.groups.get(group);
  }

  private groupName(db: NodeDatabase, gid: number): string | undefined {
    return [...db.groups.entries()].find(([, id]) => id === gid)?.[0];
  }

  private useradd(db: NodeDatabase, args: string[]): ProgramOutcome {
    const { options, operands } = parseOptions(args, ["--create-home", "--non-unique"]);
    const name = operands[0];
    if (operands.length !== 1 || name === undefined) return fail(2, "Usage: useradd [options] LOGIN");
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) return fail(3, `useradd: invalid user name '${name}'`);
    if (db.users.has(name)) return fail(9, `useradd: user '${name}' already exists`);
    const uidOption = options.get("--uid");
    const taken = new Set([...db.users.values()].map((user) => user.uid));
    if (uidOption !== undefined && taken.has(Number(uidOption)) && !options.has("--non-unique")) return fail(4, `useradd: UID ${uidOption} is not unique`);
    let uid = uidOption === undefined ? 1000 : Number(uidOption);
    while (uidOption === undefined && taken.has(uid)) uid++;
    const groups: string[] = [];
    for (const group of (options.get("--groups") ?? "").split(",").filter(Boolean)) {
      const gid = this.groupId(db, group);
      if (gid === undefined) return fail(6, `useradd: group '${group}' does not exist`);
      groups.push(this.groupName(db, gid) as string);
    }
    let gid: number;
    const gidOption = options.get("--gid");
    if (gidOption !== undefined) {
      const found = this.groupId(db, gidOption);
      if (found === undefined) return fail(6, `useradd: group '${gidOption}' does not exist`);
      gid = found;
    } else {
      if (db.groups.has(name)) return fail(9, `useradd: group ${name} exists - if you want to add this user to that group, use -g.`);
      gid = [...db.groups.values()].includes(uid) ? Math.max(...db.groups.values()) + 1 : uid;
      db.groups.set(name, gid);
    }
    db.users.set(name, {
      name,
      uid,
      gid,
      groups,
      home: `/home/${name}`,
      shell: options.get("--shell") ?? "/bin/sh",
      passwordHash: options.get("--password") ?? "!",
      expireDate: options.get("--expiredate") ?? "",
    });
    return {};
  }

  private usermod(db: NodeDatabase, args: string[]): ProgramOutcome {
    const { options, operands } = parseOptions(args, []);
    const user = operands[0] === undefined ? undefined : db.users.get(operands[0]);
    if (!user) return fail(6, `usermod: user '${operands[0]}' does not exist`);
    const password = options.get("--password");
    if (password !== undefined) user.passwordHash = password;
    const expireDate = options.get("--expiredate");
    if (expireDate !== undefined) user.expireDate = expireDate;
    return {};
  }

  private userdel(db: NodeDatabase, args: string[]): ProgramOutcome {
    const { operands } = parseOptions(args, ["--force", "--remove"]);
    const name = operands[0];
    if (name === undefined || !db.users.delete(name)) return fail(6, `userdel: user '${name}' does not exist`);
    if (db.groups.get(name) !== undefined && ![...db.users.values()].some((user) => user.gid === db.groups.get(name))) db.groups.delete(name);
    return {};
  }

  private groupadd(db: NodeDatabase, args: string[]): ProgramOutcome {
    const { options, operands } = parseOptions(args, []);
    const name = operands[0] as string;
    if (db.groups.has(name)) return fail(9, `groupadd: group '${name}' already exists`);
    const gid = Number(options.get("--gid") ?? Math.max(...db.groups.values()) + 1);
    if ([...db.groups.values()].includes(gid)) return fail(4, `groupadd: GID '${gid}' already exists`);
    db.groups.set(name, gid);
    return {};
  }

  /** The authorized-keys script: `home`, `name`, `key` ("" removes the file). */
  private authorizedKeys(db: NodeDatabase, [home, name, key]: string[]): ProgramOutcome {
    const user = name === undefined ? undefined : db.users.get(name);
    if (!user || user.home !== home) return fail(1, `mkdir: cannot create directory '${home}/.ssh': No such file or directory`);
    if (key) user.authorizedKeys = `${key}\n`;
    else delete user.authorizedKeys;
    return {};
  }

  private getent(db: NodeDatabase, args: string[]): ProgramOutcome {
    const [database, key] = args;
    if (database === "passwd" && key !== undefined) {
      const user = /^\d+$/.test(key) ? [...db.users.values()].find((u) => u.uid === Number(key)) : db.users.get(key);
      return user ? { stdout: `${user.name}:x:${user.uid}:${user.gid}::${user.home}:${user.shell}\n` } : { exitCode: 2 };
    }
    if (database === "group" && key !== undefined) {
      const gid = this.groupId(db, key);
      if (gid === undefined) return { exitCode: 2 };
      const name = this.groupName(db, gid) as string;
      const members = [...db.users.values()].filter((user) => user.groups.includes(name)).map((user) => user.name);
      return { stdout: `${name}:x:${gid}:${members.join(",")}\n` };
    }
    return fail(1, `getent: unsupported database or key: ${args.join(" ")}`);
  }
}
