import type Dockerode from "dockerode";
import type { NodeStats } from "./node-runtime.js";

interface BlkioEntry {
  op: string;
  value: number;
}

/** The parts of `GET /containers/{id}/stats?stream=false` the autoscale metrics read. */
interface EngineStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: { cache?: number; inactive_file?: number } };
  blkio_stats?: { io_service_bytes_recursive?: BlkioEntry[] | null; io_serviced_recursive?: BlkioEntry[] | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

/**
 * One stats reading of a node container: CPU as `docker stats` computes it, memory without the
 * page cache, block I/O totals (operation counts only where the cgroup reports them), network
 * totals (none for the host network the nodes use).
 */
export async function readNodeStats(docker: Dockerode, containerId: string): Promise<NodeStats | undefined> {
  const stats = (await docker.getContainer(containerId).stats({ stream: false })) as unknown as EngineStats;
  if (!stats.cpu_stats) return undefined;
  const result: NodeStats = {};
  const cpuDelta = (stats.cpu_stats.cpu_usage?.total_usage ?? 0) - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (stats.cpu_stats.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
  if (systemDelta > 0 && cpuDelta >= 0) result.cpuPercent = (cpuDelta / systemDelta) * (stats.cpu_stats.online_cpus ?? 1) * 100;
  const memory = stats.memory_stats;
  if (memory?.usage !== undefined) result.memoryBytes = Math.max(0, memory.usage - (memory.stats?.inactive_file ?? memory.stats?.cache ?? 0));
  const bytes = stats.blkio_stats?.io_service_bytes_recursive;
  if (bytes) {
    result.diskReadBytes = total(bytes, "read");
    result.diskWriteBytes = total(bytes, "write");
  }
  const ops = stats.blkio_stats?.io_serviced_recursive;
  if (ops) {
    result.diskReadOps = total(ops, "read");
    result.diskWriteOps = total(ops, "write");
  }
  const networks = Object.values(stats.networks ?? {});
  if (networks.length > 0) {
    result.networkInBytes = networks.reduce((sum, network) => sum + (network.rx_bytes ?? 0), 0);
    result.networkOutBytes = networks.reduce((sum, network) => sum + (network.tx_bytes ?? 0), 0);
  }
  return result;
}

function total(entries: BlkioEntry[], op: string): number {
  return entries.filter((entry) => entry.op.toLowerCase() === op).reduce((sum, entry) => sum + entry.value, 0);
}
