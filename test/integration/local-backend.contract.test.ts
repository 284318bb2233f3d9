import { describeBackendContract } from "../contract/backend-contract.js";
import { describeJobPreparationContract } from "../contract/job-preparation-contract.js";
import { startLocalBackend } from "./local-test-backend.js";

describeBackendContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
describeJobPreparationContract({ name: "local", start: startLocalBackend, nodeTimeoutMs: 60_000 });
