/** The node agent's wire format and its user resolution, without any process. */
import { describe, expect, test } from "vitest";
import { encodeMessage, LineDecoder, type RunRequest } from "../../../../src/backends/local/agent/agent-protocol.js";
import { parsePasswd, resolveUser } from "../../../../src/backends/local/agent/agent-user.js";

function decodeAll(chunks: Buffer[]): unknown[] {
  const messages: unknown[] = [];
  const decoder = new LineDecoder((message) => messages.push(message));
  for (const chunk of chunks) decoder.push(chunk);
  return messages;
}

describe("newline-delimited JSON", () => {
  const run: RunRequest = {
    type: "run",
    id: 7,
    argv: ["printf", "%s\n", "a\nb", "é ünïcödé 🚀"],
    env: { AZ_BATCH_TASK_ID: "t1", MULTI: "line\nvalue" },
    cwd: "/mnt/batch/tasks/workitems/j/job-1/t1/wd",
    user: "1001:1001",
    stdout: "workitems/j/job-1/t1/stdout.txt",
    stderr: "workitems/j/job-1/t1/stderr.txt",
    outputRoot: "/mnt/batch/tasks",
  };

  test("one message is one line, and newlines inside values stay escaped", () => {
    const line = encodeMessage(run);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1)).not.toContain("\n");
    expect(decodeAll([Buffer.from(line)])).toEqual([run]);
  });

  test("messages split anywhere, even inside a multi-byte character, arrive whole and in order", () => {
    const bytes = Buffer.from(encodeMessage(run) + encodeMessage({ type: "kill", id: 7 }) + encodeMessage({ ...run, id: 8 }));
    for (const size of [1, 2, 3, 5, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(decodeAll(chunks)).toEqual([run, { type: "kill", id: 7 }, { ...run, id: 8 }]);
    }
  });

  test("an incomplete last line waits for its end; empty lines are skipped", () => {
    const messages: unknown[] = [];
    const decoder = new LineDecoder((message) => messages.push(message));
    decoder.push(Buffer.from('\n{"type":"kill","id":1}\n{"type":"ki'));
    expect(messages).toEqual([{ type: "kill", id: 1 }]);
    expect(decoder.buffered).toBe(11);
    decoder.push(Buffer.from('ll","id":2}\n'));
    expect(messages).toEqual([
      { type: "kill", id: 1 },
      { type: "kill", id: 2 },
    ]);
    expect(decoder.buffered).toBe(0);
  });

  test("a line that is not JSON is an error", () => {
    expect(() => decodeAll([Buffer.from("not json\n")])).toThrow(SyntaxError);
  });
});

describe("the user of a run, as docker exec --user resolves it", () => {
  const passwd = [
    "root:x:0:0:root:/root:/bin/bash",
    "_azbatch:x:1001:1001::/nonexistent:/bin/bash",
    "broken line",
    "ops:x:1002:50:Ops:/home/ops:/bin/sh",
    "",
  ].join("\n");
  const group = ["root:x:0:", "staff:x:50:", "_azbatch:x:1001:ops", "sudo:x:27:admin,ops"].join("\n");

  test("passwd entries are parsed, malformed lines skipped", () => {
    expect(parsePasswd(passwd).map((e) => e.name)).toEqual(["root", "_azbatch", "ops"]);
  });

  test("root, names and numbers", () => {
    expect(resolveUser("root", passwd, group)).toEqual({ uid: 0, gid: 0, home: "/root", groups: [] });
    expect(resolveUser("ops", passwd, group)).toEqual({ uid: 1002, gid: 50, home: "/home/ops", groups: [1001, 27] });
    expect(resolveUser("1001:1001", passwd, group)).toEqual({ uid: 1001, gid: 1001, home: "/nonexistent", groups: [] });
    expect(resolveUser("0:1001", passwd, group)).toEqual({ uid: 0, gid: 1001, home: "/root", groups: [] });
    expect(resolveUser("ops:root", passwd, group)).toEqual({ uid: 1002, gid: 0, home: "/home/ops", groups: [1001, 27] });
  });

  test("a uid without an entry runs with group 0 (or the one given) and HOME /", () => {
    expect(resolveUser("4242", passwd, group)).toEqual({ uid: 4242, gid: 0, home: "/", groups: [] });
    expect(resolveUser("4242:4343", passwd, group)).toEqual({ uid: 4242, gid: 4343, home: "/", groups: [] });
  });

  test("an unknown user or group name is an error naming it", () => {
    expect(() => resolveUser("nobody-here", passwd, group)).toThrow(/unable to find user nobody-here/);
    expect(() => resolveUser("ops:nogroup", passwd, group)).toThrow(/unable to find group nogroup/);
  });
});
