/** What the backend contract's command lines do on a fake node runtime (see CONTRACT_SCRIPTS). */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CONTRACT_SCRIPTS } from "../contract/backend-contract.js";
import { MULTI_INSTANCE_SCRIPT } from "../contract/multi-instance-contract.js";
import type { FakeNodeRuntime } from "./fake-node-runtime.js";
import type { FakeNodeUsers } from "./fake-node-users.js";
import { scriptedShell, type Program, type ProgramRun } from "./fake-programs.js";

/** `id -u`: the uid the engine was asked to run as (`uid:gid`, `root`, or a user of the node by name). */
function uidOf(run: ProgramRun, users: FakeNodeUsers): string {
  if (run.user === "root") return "0";
  const [user = ""] = run.user.split(":");
  if (/^\d+$/.test(user)) return user;
  return String(users.account(run.containerId, user)?.uid ?? "");
}

async function writeIn(run: ProgramRun, file: string, content: string): Promise<void> {
  const target = run.hostPath(file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
}

/** The contract's scripts on a runtime whose node users are `users`. */
const scripts = (users: FakeNodeUsers): Record<string, Program> => ({
  [CONTRACT_SCRIPTS.environment]: (run) => {
    const values = ["AZ_BATCH_TASK_ID", "AZ_BATCH_JOB_ID", "AZ_BATCH_POOL_ID", "AZ_BATCH_NODE_ID"].map((name) => run.env[name] ?? "");
    return { stdout: `${[...values, run.workingDir, run.env.MY_SETTING ?? ""].join("|")}\n` };
  },
  [CONTRACT_SCRIPTS.exit3]: () => ({ stdout: "attempt\n", exitCode: 3 }),
  [CONTRACT_SCRIPTS.secondTrySucceeds]: async (run) => {
    const counter = `${run.env.AZ_BATCH_TASK_WORKING_DIR}/n`;
    const n = Number(await readFile(run.hostPath(counter), "utf8").catch(() => "0"));
    await writeIn(run, counter, `${n + 1}\n`);
    return { stdout: `try ${n}\n`, exitCode: n >= 1 ? 0 : 1 };
  },
  [CONTRACT_SCRIPTS.userAndFiles]: async (run) => {
    await writeIn(run, `${run.env.AZ_BATCH_TASK_WORKING_DIR}/mine`, "");
    await writeIn(run, `${run.env.AZ_BATCH_NODE_SHARED_DIR}/shared-${process.pid}`, "");
    return { stdout: `${uidOf(run, users)}\n` };
  },
  [CONTRACT_SCRIPTS.outputs]: async (run) => {
    await writeIn(run, "r/a.txt", "a\n");
    await writeIn(run, "r/b.txt", "b\n");
    return {};
  },
  [CONTRACT_SCRIPTS.brokenStartTask]: () => ({ stderr: "broken\n", exitCode: 7 }),
  [MULTI_INSTANCE_SCRIPT]: (run) => ({
    stdout: `${["AZ_BATCH_IS_CURRENT_NODE_MASTER", "AZ_BATCH_HOST_LIST", "AZ_BATCH_TASK_SHARED_DIR"].map((name) => run.env[name] ?? "").join("|")}\n`,
  }),
});

/** Teaches a fake runtime the contract's programs: its bash scripts and `id -u`. */
export function installContractPrograms(runtime: FakeNodeRuntime): void {
  runtime.programs.set("/bin/bash", scriptedShell(scripts(runtime.users)));
  runtime.programs.set("id", (run) => (run.argv[1] === "-u" ? { stdout: `${uidOf(run, runtime.users)}\n` } : { exitCode: 1, stderr: "fake id: only -u\n" }));
}
