import { describeBackendContract } from "../contract/backend-contract.js";
import { describeJobScheduleContract } from "../contract/job-schedule-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

describeBackendContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
describeJobScheduleContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
