import { describeBackendContract } from "../contract/backend-contract.js";
import { describeDependencyContract } from "../contract/dependency-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

describeBackendContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
describeDependencyContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
