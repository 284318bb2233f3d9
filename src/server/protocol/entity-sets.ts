/**
 * What `$select` and `$filter` may name, per entity set, in the current (newest) REST names.
 *
 * The Batch docs ("Create queries to list Batch resources efficiently", Rules for filter, select,
 * and expand strings): "All property names are case-sensitive, but property values are case
 * insensitive" and "If an invalid property or operator is specified, a 400 (Bad Request) error
 * will result". So a name outside these lists, in any other case, is a 400.
 *
 * - `selectable`: every top-level property of the entity's REST model in any api-version Malachite
 *   speaks (2017-09-01.6.0 to 2025-06-01), so a property the service has but Malachite leaves out
 *   selects nothing instead of failing. Sources: the models of @azure/batch 10.2.0
 *   (2022-10-01.16.0: CloudPool, CloudJob, CloudTask, ComputeNode, NodeFile, PoolNodeCounts,
 *   ImageInformation), plus `resourceTags` and `upgradePolicy` on pools (2023-05-01.17.0 onwards)
 *   and the 2017 `NodeAgentSku`.
 * - `filterable`: the property paths each list operation filters on, from the REST docs "OData
 *   filters in Azure Batch" (docs-ref-conceptual/batchservice/odata-filters-in-batch.md). That page
 *   lists `lastModifiedTime` for tasks, a name no task has; the task's property is `lastModified`,
 *   which is what is accepted. The page has no table for the 2017 node agent SKU list; `id` and
 *   `osType` are allowed there.
 */
export type EntitySet =
  | "pools"
  | "jobs"
  | "tasks"
  | "nodes"
  | "files"
  | "poolnodecounts"
  | "supportedimages"
  | "nodeagentskus"
  | "jobpreparationandreleasetaskstatus"
  | "jobschedules"
  | "extensions"
  | "applications"
  | "poolusagemetrics";

export interface EntitySetProperties {
  readonly selectable: readonly string[];
  readonly filterable: readonly string[];
}

/** A list of names written as words, one string per list: easier to read and compare with the docs. */
function names(text: string): readonly string[] {
  return text.split(/\s+/).filter(Boolean);
}

export const ENTITY_SETS: Readonly<Record<EntitySet, EntitySetProperties>> = {
  pools: {
    selectable: names(`
      id displayName url eTag lastModified creationTime state stateTransitionTime allocationState allocationStateTransitionTime vmSize
      cloudServiceConfiguration virtualMachineConfiguration resizeTimeout resizeErrors currentDedicatedNodes currentLowPriorityNodes targetDedicatedNodes
      targetLowPriorityNodes enableAutoScale autoScaleFormula autoScaleEvaluationInterval autoScaleRun enableInterNodeCommunication networkConfiguration startTask
      certificateReferences applicationPackageReferences applicationLicenses taskSlotsPerNode taskSchedulingPolicy userAccounts metadata stats mountConfiguration
      identity targetNodeCommunicationMode currentNodeCommunicationMode resourceTags upgradePolicy
    `),
    filterable: names(
      "id state stateTransitionTime allocationState allocationStateTransitionTime creationTime enableAutoScale lastModified vmSize enableInterNodeCommunication",
    ),
  },
  jobs: {
    selectable: names(`
      id displayName usesTaskDependencies url eTag lastModified creationTime state stateTransitionTime previousState previousStateTransitionTime priority
      allowTaskPreemption maxParallelTasks constraints jobManagerTask jobPreparationTask jobReleaseTask commonEnvironmentSettings poolInfo onAllTasksComplete
      onTaskFailure networkConfiguration metadata executionInfo stats
    `),
    filterable: names("id state stateTransitionTime creationTime lastModified executionInfo/startTime executionInfo/endTime executionInfo/poolId"),
  },
  tasks: {
    selectable: names(`
      id displayName url eTag lastModified creationTime exitConditions state stateTransitionTime previousState previousStateTransitionTime commandLine
      containerSettings resourceFiles outputFiles environmentSettings affinityInfo constraints requiredSlots userIdentity executionInfo nodeInfo multiInstanceSettings
      stats dependsOn applicationPackageReferences authenticationTokenSettings
    `),
    filterable: names(
      "id state stateTransitionTime creationTime lastModified executionInfo/startTime executionInfo/endTime executionInfo/exitCode executionInfo/result",
    ),
  },
  nodes: {
    selectable: names(`
      id url state schedulingState stateTransitionTime lastBootTime allocationTime ipAddress affinityId vmSize totalTasksRun runningTasksCount
      runningTaskSlotsCount totalTasksSucceeded recentTasks startTask startTaskInfo certificateReferences errors isDedicated endpointConfiguration nodeAgentInfo
      virtualMachineInfo
    `),
    filterable: names(`
      state stateTransitionTime lastBootTime allocationTime startTaskInfo/state startTaskInfo/result startTaskInfo/exitCode startTaskInfo/startTime
      startTaskInfo/endTime
    `),
  },
  files: {
    selectable: names("name url isDirectory properties"),
    filterable: names("name"),
  },
  poolnodecounts: {
    selectable: names("poolId dedicated lowPriority"),
    filterable: names("poolId"),
  },
  supportedimages: {
    selectable: names("nodeAgentSKUId imageReference osType capabilities batchSupportEndOfLife verificationType"),
    filterable: names("osType verificationType nodeAgentSKUId"),
  },
  nodeagentskus: {
    selectable: names("id verifiedImageReferences osType"),
    filterable: names("id osType"),
  },
  // JobPreparationAndReleaseTaskExecutionInformation; filterable: the page's "List job preparation and release status" table.
  jobpreparationandreleasetaskstatus: {
    selectable: names("poolId nodeId nodeUrl jobPreparationTaskExecutionInfo jobReleaseTaskExecutionInfo"),
    filterable: names(`
      poolId nodeId jobPreparationTaskExecutionInfo/state jobPreparationTaskExecutionInfo/startTime jobPreparationTaskExecutionInfo/endTime
      jobPreparationTaskExecutionInfo/exitCode jobPreparationTaskExecutionInfo/result jobReleaseTaskExecutionInfo/state jobReleaseTaskExecutionInfo/startTime
      jobReleaseTaskExecutionInfo/endTime jobReleaseTaskExecutionInfo/exitCode jobReleaseTaskExecutionInfo/result
    `),
  },
  // CloudJobSchedule of @azure/batch 10.2.0; filterable as for jobs, plus the schedule's own execution times.
  jobschedules: {
    selectable: names(`
      id displayName url eTag lastModified creationTime state stateTransitionTime previousState previousStateTransitionTime schedule jobSpecification
      executionInfo metadata stats
    `),
    filterable: names("id state stateTransitionTime creationTime lastModified executionInfo/nextRunTime executionInfo/recentJob/id executionInfo/endTime"),
  },
  // NodeVMExtension of @azure/batch 10.2.0 (ComputeNodeExtension_List takes $select, no $filter).
  extensions: {
    selectable: names("provisioningState vmExtension instanceView"),
    filterable: [],
  },
  // ApplicationSummary; PoolUsageMetrics (the page's "List usage metrics" table: poolId, startTime, endTime).
  applications: {
    selectable: names("id displayName versions"),
    filterable: names(""),
  },
  poolusagemetrics: {
    selectable: names("poolId startTime endTime vmSize totalCoreHours"),
    filterable: names("poolId startTime endTime"),
  },
};
