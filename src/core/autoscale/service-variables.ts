/** The sampled read-only service variables: objects read through `GetSample()` and its siblings. */
export const SAMPLED_METRICS = [
  "$CPUPercent",
  "$WallClockSeconds",
  "$MemoryBytes",
  "$DiskBytes",
  "$DiskReadBytes",
  "$DiskWriteBytes",
  "$DiskReadOps",
  "$DiskWriteOps",
  "$NetworkInBytes",
  "$NetworkOutBytes",
  "$SampleNodeCount",
  "$ActiveTasks",
  "$RunningTasks",
  "$PendingTasks",
  "$SucceededTasks",
  "$FailedTasks",
  "$PreemptedNodeCount",
] as const;
export type SampledMetricName = (typeof SAMPLED_METRICS)[number];

/** The read-only service variables that are plain doubles: the pool as it is now. */
export const CURRENT_VALUES = ["$CurrentDedicatedNodes", "$CurrentLowPriorityNodes", "$TaskSlotsPerNode", "$UsableNodeCount"] as const;
export type CurrentValueName = (typeof CURRENT_VALUES)[number];

/** The read-write service variables; `$TargetDedicated` and `$TargetLowPriority` are their documented aliases. */
export const TARGET_VARIABLES = ["$TargetDedicatedNodes", "$TargetLowPriorityNodes", "$NodeDeallocationOption"] as const;
export const TARGET_ALIASES: Readonly<Record<string, "$TargetDedicatedNodes" | "$TargetLowPriorityNodes">> = {
  $TargetDedicated: "$TargetDedicatedNodes",
  $TargetLowPriority: "$TargetLowPriorityNodes",
};

/** The values `$NodeDeallocationOption` takes; the formula writes them as bare words (`$NodeDeallocationOption = taskcompletion;`). */
export const NODE_DEALLOCATION_OPTIONS = ["requeue", "terminate", "taskcompletion", "retaineddata"] as const;
export type FormulaDeallocationOption = (typeof NODE_DEALLOCATION_OPTIONS)[number];

export function isReadOnlyServiceVariable(name: string): boolean {
  return (SAMPLED_METRICS as readonly string[]).includes(name) || (CURRENT_VALUES as readonly string[]).includes(name);
}
