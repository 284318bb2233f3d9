import type { ExitMessage } from "./agent-protocol.js";

/** A run's CPU time and I/O from its exit message; undefined from an agent that does not report them (only `wallMs`). */
export function processUsageOf(
  exit: ExitMessage,
): { userCpuMs: number; kernelCpuMs: number; readBytes: number; writeBytes: number; readOps: number; writeOps: number } | undefined {
  const { userCpuMs, kernelCpuMs, readBytes, writeBytes, readOps, writeOps } = exit.usage;
  if (userCpuMs === undefined || kernelCpuMs === undefined) return undefined;
  return { userCpuMs, kernelCpuMs, readBytes: readBytes ?? 0, writeBytes: writeBytes ?? 0, readOps: readOps ?? 0, writeOps: writeOps ?? 0 };
}
