import { randomUUID } from "node:crypto";
import { ContainerClient } from "@azure/storage-blob";
import { BatchErrors } from "../../../core/batch-errors.js";
import type { UploadBatchServiceLogsConfiguration, UploadBatchServiceLogsResult } from "../../../core/models/index.js";
import { STARTUP_DIR } from "../execution/node-layout.js";
import { NodeRootFs } from "../files/node-root-fs.js";
import type { Clock } from "../state/clock.js";
import type { NodeRecord } from "../state/records.js";
import type { NodeAgentLog } from "./node-agent-log.js";

/** The agent log's name in the uploaded directory. */
export const AGENT_LOG_BLOB = "malachite-agent.log";
/** The start task's output, uploaded when the start task ran within the time range. */
const START_TASK_FILES = ["stdout.txt", "stderr.txt"];

/**
 * `POST …/uploadbatchservicelogs` (REST `Nodes_UploadNodeLogs`): "Upload Azure Batch service log
 * files from the specified Compute Node to Azure Blob Storage", into a virtual directory
 * `{poolId}/{nodeId}/{unique id}` of the container (the node id with `_` as `-`, as the REST
 * example shows). Malachite's node has no Batch agent; what stands for its logs is the node's
 * agent log (node-agent-log.ts: the lines between `startTime` and `endTime`), uploaded as
 * `malachite-agent.log`, and the start task's `stdout.txt`/`stderr.txt` when the start task ran
 * within the range (read through NodeRootFs). The SAS of `containerUrl` is never logged or echoed.
 */
export async function uploadNodeServiceLogs(
  record: NodeRecord,
  configuration: UploadBatchServiceLogsConfiguration,
  agentLog: NodeAgentLog,
  clock: Clock,
): Promise<UploadBatchServiceLogsResult> {
  const start = Date.parse(configuration.startTime);
  const end = configuration.endTime === undefined ? undefined : Date.parse(configuration.endTime);
  const virtualDirectoryName = `${record.poolId}/${record.node.id.replace(/_/g, "-")}/${randomUUID()}`;
  const container = new ContainerClient(configuration.containerUrl);
  const upload = async (name: string, data: Buffer | string) => {
    try {
      await container.getBlockBlobClient(`${virtualDirectoryName}/${name}`).upload(data, Buffer.byteLength(data));
    } catch (error) {
      const cause = ((error as { code?: string }).code ?? (error as Error).message).split("\n")[0];
      const reason = `Uploading ${name} to ${container.url.split("?")[0]} failed: ${cause}`;
      throw BatchErrors.invalidPropertyValue("containerUrl", container.url.split("?")[0], reason);
    }
  };
  let uploaded = 0;
  const lines = await agentLog.linesBetween(record, start, end);
  if (lines.length > 0) {
    await upload(AGENT_LOG_BLOB, lines.map((line) => `${line.time} ${line.text}\n`).join(""));
    uploaded++;
  }
  const startTask = record.node.startTaskInfo;
  const ranInRange =
    startTask !== undefined &&
    (end === undefined || Date.parse(startTask.startTime) <= end) &&
    Date.parse(startTask.endTime ?? new Date(clock.now()).toISOString()) >= start;
  if (ranInRange) {
    const root = new NodeRootFs(record.hostRoot);
    for (const file of START_TASK_FILES) {
      const handle = await root.openFile(`${STARTUP_DIR}/${file}`).catch(() => undefined);
      if (!handle) continue;
      try {
        await upload(`${STARTUP_DIR}/${file}`, await handle.readFile());
      } finally {
        await handle.close();
      }
      uploaded++;
    }
  }
  return { virtualDirectoryName, numberOfFilesUploaded: uploaded };
}
