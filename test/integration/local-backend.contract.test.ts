import { describeBackendContract } from "../contract/backend-contract.js";
import { describeTaskControlContract } from "../contract/task-control-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

describeBackendContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
describeTaskControlContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
