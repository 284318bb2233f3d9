import { describeBackendContract } from "../contract/backend-contract.js";
import { describeMultiInstanceContract } from "../contract/multi-instance-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

describeBackendContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
describeMultiInstanceContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
