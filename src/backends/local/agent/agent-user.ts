/**
 * The account a run asks for, resolved in the node container as `docker exec --user` resolves it:
 * `root`, `uid:gid`, `uid`, or a name of the container's /etc/passwd (with its primary group);
 * HOME comes from the passwd entry of the uid ("/" when it has none). A user given by name also
 * gets the supplementary groups /etc/group lists it in, as docker exec gives them (not one given
 * as a number).
 */
import { readFileSync } from "node:fs";

export interface ResolvedUser {
  uid: number;
  gid: number;
  home: string;
  /** Supplementary group ids (a user given by name: the groups that list it as a member). */
  groups: number[];
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The entries of a passwd file's text (malformed lines skipped). */
export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 7) continue;
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    entries.push({ name: fields[0] as string, uid, gid, home: fields[5] as string });
  }
  return entries;
}

/** The group part of `user:group`: numeric, or a name of /etc/group. */
function resolveGroup(group: string, groupFile: string): number | undefined {
  if (/^\d+$/.test(group)) return Number(group);
  for (const line of groupFile.split("\n")) {
    const fields = line.split(":");
    if (fields[0] === group && fields.length >= 3 && /^\d+$/.test(fields[2] as string)) return Number(fields[2]);
  }
  return undefined;
}

/** The ids of the groups whose member lists name `user`. */
function memberGroups(user: string, groupFile: string): number[] {
  const ids: number[] = [];
  for (const line of groupFile.split("\n")) {
    const fields = line.split(":");
    if (fields.length < 4 || !/^\d+$/.test(fields[2] as string)) continue;
    if ((fields[3] as string).split(",").includes(user)) ids.push(Number(fields[2]));
  }
  return ids;
}

/** Resolves `spec` against passwd/group texts; throws an Error naming what is unknown. */
export function resolveUser(spec: string, passwd: string, group = ""): ResolvedUser {
  const [userPart = "", groupPart] = spec.split(":", 2);
  const entries = parsePasswd(passwd);
  const numeric = /^\d+$/.test(userPart);
  const entry = numeric ? entries.find((e) => e.uid === Number(userPart)) : entries.find((e) => e.name === userPart);
  if (!numeric && !entry) throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
  const uid = numeric ? Number(userPart) : (entry as PasswdEntry).uid;
  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined) {
    const resolved = resolveGroup(groupPart, group);
    if (resolved === undefined) throw new Error(`unable to find group ${groupPart}: no matching entries in group file`);
    gid = resolved;
  }
  return { uid, gid, home: entry?.home ?? "/", groups: numeric ? [] : memberGroups(userPart, group) };
}

/** Resolves `spec` against the container's own /etc/passwd and /etc/group. */
export function resolveContainerUser(spec: string): ResolvedUser {
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  };
  const byName = !/^\d+(:|$)/.test(spec);
  return resolveUser(spec, read("/etc/passwd"), spec.includes(":") || byName ? read("/etc/group") : "");
}
