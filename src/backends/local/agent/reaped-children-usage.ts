/**
 * What the agent's reaped children used, read from the agent's own /proc entries: Linux adds a
 * child's CPU time to its parent's `cutime`/`cstime` (/proc/self/stat fields 16 and 17, in clock
 * ticks) and its I/O accounting to the parent's /proc/self/io when the parent waits for it. Node
 * reaps a child before it emits 'exit', so a reading taken there includes the run that exited.
 *
 * The difference between two readings is what the runs reaped in between used, so a run is given
 * the delta since the previous reading. Approximations: two runs reaped at the same moment (before
 * the first one's 'exit' is handled) are both counted for the first; a run's descendants count
 * only if the run waited for them; the read and write call counts include the agent's own few
 * socket calls in between; and disk bytes are what reached the storage layer (`read_bytes`,
 * `write_bytes`): a file read from the page cache is no disk read.
 */
import { readFileSync } from "node:fs";
import type { ProcessUsage } from "../docker/node-runtime.js";

/** Linux's USER_HZ: the unit of /proc's CPU times, 100 on every architecture Docker runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Totals since the agent started, in the figures a run reports (CPU in milliseconds, disk bytes, read and write calls). */
export type UsageReading = ProcessUsage;

function cpuTicks(statText: string): { user: number; kernel: number } {
  // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
  const fields = statText.slice(statText.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): cutime (16) and cstime (17) are fields[13] and fields[14].
  return { user: Number(fields[13]), kernel: Number(fields[14]) };
}

function ioCounters(ioText: string): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const line of ioText.split("\n")) {
    const [name, value] = line.split(":");
    if (name && value) counters[name.trim()] = Number(value.trim());
  }
  return counters;
}

/** The current totals, or undefined where /proc does not tell (not Linux, no I/O accounting). */
export function readReapedChildrenUsage(procSelf = "/proc/self"): UsageReading | undefined {
  try {
    const cpu = cpuTicks(readFileSync(`${procSelf}/stat`, "utf8"));
    const io = ioCounters(readFileSync(`${procSelf}/io`, "utf8"));
    const msPerTick = 1000 / CLOCK_TICKS_PER_SECOND;
    return {
      userCpuMs: cpu.user * msPerTick,
      kernelCpuMs: cpu.kernel * msPerTick,
      readBytes: io.read_bytes ?? 0,
      writeBytes: io.write_bytes ?? 0,
      readOps: io.syscr ?? 0,
      writeOps: io.syscw ?? 0,
    };
  } catch {
    return undefined;
  }
}

/** What was used between two readings (never negative). */
export function usageBetween(before: UsageReading, after: UsageReading): UsageReading {
  const delta = (pick: (reading: UsageReading) => number) => Math.max(0, pick(after) - pick(before));
  return {
    userCpuMs: delta((r) => r.userCpuMs),
    kernelCpuMs: delta((r) => r.kernelCpuMs),
    readBytes: delta((r) => r.readBytes),
    writeBytes: delta((r) => r.writeBytes),
    readOps: delta((r) => r.readOps),
    writeOps: delta((r) => r.writeOps),
  };
}

/** The agent's running tally: each exited run takes what was reaped since the previous one. */
export class ReapedUsageLedger {
  private last: UsageReading | undefined;

  constructor(private readonly read: () => UsageReading | undefined = readReapedChildrenUsage) {
    this.last = read();
  }

  /** What the run that was just reaped used; nothing when /proc does not tell. */
  take(): Partial<UsageReading> {
    const reading = this.read();
    if (!reading) return {};
    const used = this.last ? usageBetween(this.last, reading) : {};
    this.last = reading;
    return used;
  }
}
