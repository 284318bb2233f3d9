/**
 * The backend contract through the local backend on a fake node runtime and a fake clock, with
 * real blobs from Azurite (a Node child process): everything but Docker itself. The Docker run
 * is test/integration/local-backend.contract.test.ts.
 */
import { vi } from "vitest";
import type { Backend } from "../../../src/core/backend.js";
import { describeBackendContract, type ContractTarget } from "../../contract/backend-contract.js";
import { describeDependencyContract } from "../../contract/dependency-contract.js";
import { describeTaskControlContract } from "../../contract/task-control-contract.js";
import { describeMultiInstanceContract } from "../../contract/multi-instance-contract.js";
import { describeJobPreparationContract } from "../../contract/job-preparation-contract.js";
import { describeJobScheduleContract } from "../../contract/job-schedule-contract.js";
import { describeNodeOperationsContract } from "../../contract/node-operations-contract.js";
import { describePoolSizingContract } from "../../contract/pool-sizing-contract.js";
import { describeNodeUserContract } from "../../contract/node-user-contract.js";
import { describePoolUpdateContract } from "../../contract/pool-update-contract.js";
import { describeAutoScaleContract } from "../../contract/autoscale-contract.js";
import { describeAutoPoolContract } from "../../contract/auto-pool-contract.js";
import { installContractPrograms } from "../../support/contract-programs.js";
import { waitFor } from "../../support/settle.js";
import { TestBed } from "../../support/test-bed.js";

/** The contract adds 132 tasks at once: on a loaded machine their host file work needs more than the usual 4 s. */
const WAIT_MS = 12_000;
vi.setConfig({ testTimeout: WAIT_MS + 3_000, hookTimeout: WAIT_MS + 8_000 });

let bed: TestBed;

async function start(): Promise<Backend> {
  bed = await TestBed.start({ azurite: true });
  installContractPrograms(bed.runtime);
  const { batch, storage } = bed.backend;
  return { kind: "local", batch, storage, close: () => bed.close() };
}

/** Every task the backend reports running has its process running (and its duration on the clock). */
async function everyRunningTaskHasItsProcess(): Promise<boolean> {
  let running = 0;
  for (const job of await bed.batch.job.list()) {
    for (const task of await bed.batch.task.list(job.id)) if (task.state === "running") running++;
  }
  const processes = bed.runtime.processes.filter((p) => p.env.AZ_BATCH_TASK_ID !== undefined && p.state === "running");
  return processes.length === running;
}

const target: ContractTarget = {
  name: "local, fake node runtime",
  start,
  nodeTimeoutMs: 4_000,
  async waitUntil(probe, done, { what } = {}) {
    let last = await probe();
    await waitFor(async () => done((last = await probe())), { what, timeoutMs: WAIT_MS });
    return last;
  },
  async letTimePass(ms) {
    await waitFor(everyRunningTaskHasItsProcess, { what: "running tasks to have started their processes" });
    await bed.clock.advance(ms);
  },
};

describeBackendContract(target);
describeDependencyContract(target);
describeTaskControlContract(target);
describeMultiInstanceContract(target);
describeJobPreparationContract(target);
describeNodeUserContract(target);
describeJobScheduleContract(target);
describeNodeOperationsContract(target);
describePoolSizingContract(target);
describePoolUpdateContract(target);
describeAutoScaleContract(target);
describeAutoPoolContract(target);
