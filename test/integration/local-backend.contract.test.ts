import { describeBackendContract, type ContractTarget } from "../contract/backend-contract.js";
import { describeDependencyContract } from "../contract/dependency-contract.js";
import { describeJobPreparationContract } from "../contract/job-preparation-contract.js";
import { describeJobScheduleContract } from "../contract/job-schedule-contract.js";
import { describeNodeOperationsContract } from "../contract/node-operations-contract.js";
import { describePoolSizingContract } from "../contract/pool-sizing-contract.js";
import { describeNodeUserContract } from "../contract/node-user-contract.js";
import { describePoolUpdateContract } from "../contract/pool-update-contract.js";
import { describeAutoScaleContract } from "../contract/autoscale-contract.js";
import { describeAutoPoolContract } from "../contract/auto-pool-contract.js";
import { describeMultiInstanceContract } from "../contract/multi-instance-contract.js";
import { describeTaskControlContract } from "../contract/task-control-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

const target: ContractTarget = { name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 };

describeBackendContract(target);
describeDependencyContract(target);
describeTaskControlContract(target);
describeMultiInstanceContract(target);
describeJobPreparationContract(target);
describeJobScheduleContract(target);
describeNodeOperationsContract(target);
describePoolSizingContract(target);
describeNodeUserContract(target);
describePoolUpdateContract(target);
describeAutoScaleContract(target);
describeAutoPoolContract(target);
