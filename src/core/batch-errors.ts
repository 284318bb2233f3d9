import { BatchError } from "./batch-error.js";

/** The 409 of each node state the service names ("Batch status and error codes"). */
const NODE_STATE_CONFLICTS: Record<string, [string, string]> = {
  creating: ["NodeBeingCreated", "The specified node is being created."],
  starting: ["NodeBeingStarted", "The specified node is being started."],
  waitingforstarttask: ["NodeBeingStarted", "The specified node is being started."],
  rebooting: ["NodeBeingRebooted", "The specified node is being rebooted."],
  reimaging: ["NodeBeingReimaged", "The specified node is being reimaged."],
  unusable: ["NodeStateUnusable", "The state of the specified node is unusable."],
};

/** One named constructor per Azure Batch error code Malachite answers with. */
export const BatchErrors = {
  poolExists: (id: string) => new BatchError(409, "PoolExists", `The specified pool already exists. (${id})`),
  poolNotFound: (id: string) => new BatchError(404, "PoolNotFound", `The specified pool does not exist. (${id})`),
  poolBeingDeleted: (id: string) => new BatchError(409, "PoolBeingDeleted", `The specified pool has been marked for deletion and is being reclaimed. (${id})`),
  poolNotSteady: (id: string) => new BatchError(409, "PoolNotSteady", `The specified pool is not in a steady allocation state. (${id})`),
  /** `GET /applications/{applicationId}` of an application the account does not have ("Batch status and error codes": 404). */
  applicationNotFound: (id: string) => new BatchError(404, "ApplicationNotFound", `The specified application does not exist. (${id})`),
  /**
   * A pool's `applicationPackageReferences` naming a package the account does not have, or no
   * version where the application has no default (ApplicationPackageReference docs: 409).
   */
  invalidApplicationPackageReferences: (reference: string, reason: string) =>
    new BatchError(409, "InvalidApplicationPackageReferences", "One or more of the specified application package references are invalid.", [
      { key: reference, value: reason },
    ]),
  /** A change the service allows only on a pool without nodes (BatchPoolUpdateOptions: "can be updated only when the pool is empty"). */
  poolNotEmpty: (id: string, property: string) =>
    new BatchError(409, "OperationInvalidForCurrentState", `The property can be updated only when the pool has no nodes. (${id})`, [
      { key: "PropertyName", value: property },
      { key: "Reason", value: "This property can be updated only when the pool is empty." },
    ]),
  jobExists: (id: string) => new BatchError(409, "JobExists", `The specified job already exists. (${id})`),
  jobNotFound: (id: string) => new BatchError(404, "JobNotFound", `The specified job does not exist. (${id})`),
  jobBeingDeleted: (id: string) => new BatchError(409, "JobBeingDeleted", `The specified job has been marked for deletion and is being reclaimed. (${id})`),
  jobCompleted: (id: string) => new BatchError(409, "JobCompleted", `The specified job is already in a completed state. (${id})`),
  jobNotActive: (id: string) => new BatchError(409, "JobNotActive", `The specified job is not active. (${id})`),
  jobBeingTerminated: (id: string) => new BatchError(409, "JobBeingTerminated", `The specified job is being terminated. (${id})`),
  /** Job_Enable of a job that is still being disabled (the code is the generic one; the REST docs name none). */
  jobNotDisabled: (id: string) =>
    new BatchError(409, "OperationInvalidForCurrentState", `The specified job is still being disabled and cannot be enabled yet. (${id})`),
  /** A task with `dependsOn` in a job without `usesTaskDependencies` ("Batch status and error codes": 400). */
  taskDependenciesNotSpecifiedOnJob: (jobId: string) =>
    new BatchError(
      400,
      "TaskDependenciesNotSpecifiedOnJob",
      `A task was specified as depending on other tasks, but the job did not specify that it would use task dependencies. (${jobId})`,
    ),
  /** `dependsOn.taskIds` longer than the service stores (64,000 characters in all; "Batch status and error codes": 400). */
  taskDependencyListTooLong: (length: number) =>
    new BatchError(
      400,
      "TaskDependencyListTooLong",
      "A task was specified as depending on other tasks, but the list of dependencies was too long to be stored.",
      [
        { key: "PropertyName", value: "dependsOn.taskIds" },
        { key: "Reason", value: `The task ids total ${length} characters; at most 64000 are allowed. Consider task id ranges instead.` },
      ],
    ),
  // Job schedules ("Batch status and error codes": 409 for each state conflict, 404 for a missing one).
  jobScheduleExists: (id: string) => new BatchError(409, "JobScheduleExists", `The specified job schedule already exists. (${id})`),
  jobScheduleNotFound: (id: string) => new BatchError(404, "JobScheduleNotFound", `The specified job schedule does not exist. (${id})`),
  jobScheduleBeingDeleted: (id: string) =>
    new BatchError(409, "JobScheduleBeingDeleted", `The specified job schedule has been marked for deletion and is being reclaimed. (${id})`),
  jobScheduleBeingTerminated: (id: string) => new BatchError(409, "JobScheduleBeingTerminated", `The specified job schedule is being terminated. (${id})`),
  jobScheduleCompleted: (id: string) => new BatchError(409, "JobScheduleCompleted", `The specified job schedule is already in a completed state. (${id})`),
  taskExists: (id: string) => new BatchError(409, "TaskExists", `The specified task already exists. (${id})`),
  taskNotFound: (id: string) => new BatchError(404, "TaskNotFound", `The specified task does not exist. (${id})`),
  taskCompleted: (id: string) => new BatchError(409, "TaskCompleted", `The specified task is already in a completed state. (${id})`),
  /** Task_Reactivate of a task that is not completed ("Batch status and error codes"). */
  taskNotCompleted: (id: string) =>
    new BatchError(
      409,
      "TaskNotCompleted",
      `The specified task is not in a completed state, and the requested operation can be performed only on completed tasks. (${id})`,
    ),
  /** Task_Reactivate of a task that succeeded ("Batch status and error codes"). */
  taskSucceeded: (id: string) =>
    new BatchError(
      409,
      "TaskSucceeded",
      `The specified task has already completed successfully, and the requested operation cannot be performed on successful tasks. (${id})`,
    ),
  /** A query parameter a backend cannot pass on ("Batch status and error codes": 400 UnsupportedQueryParameter). */
  unsupportedQueryParameter: (name: string, reason: string) =>
    new BatchError(400, "UnsupportedQueryParameter", `One of the query parameters specified in the request URI is not supported. ${reason}`, [
      { key: "QueryParameterName", value: name },
      { key: "Reason", value: reason },
    ]),
  /**
   * The files of a task whose `retentionTime` has passed. The .NET SDK's BatchErrorCodeStrings:
   * "TaskFilesUnavailable: The node files for a task are not available, for example because the
   * retention period has expired" (409 in "Batch status and error codes").
   */
  taskFilesUnavailable: (id: string) => new BatchError(409, "TaskFilesUnavailable", `The files of the specified task are unavailable. (${id})`),
  /**
   * A directory deleted without `recursive` that is not empty. The REST reference says only that
   * "the directory must be empty or deletion will fail" and the error list has no code of its own
   * for it: the generic 409 of "Batch status and error codes".
   */
  directoryNotEmpty: (path: string) =>
    new BatchError(409, "OperationInvalidForCurrentState", `The directory is not empty; delete it with recursive=true. (${path})`, [
      { key: "FilePath", value: path },
      { key: "Reason", value: "The directory is not empty and recursive was not set." },
    ]),
  /** Job_ListPreparationAndReleaseTaskStatus on a job without a Job Preparation Task (REST docs of the operation). */
  jobPreparationTaskNotSpecified: (id: string) =>
    new BatchError(409, "JobPreparationTaskNotSpecified", `The specified job does not have a Job Preparation task. (${id})`),
  taskIdSameAsJobPreparationTask: (id: string) =>
    new BatchError(409, "TaskIdSameAsJobPreparationTask", `The specified task id is the same as the id of the job's Job Preparation task. (${id})`),
  taskIdSameAsJobReleaseTask: (id: string) =>
    new BatchError(409, "TaskIdSameAsJobReleaseTask", `The specified task id is the same as the id of the job's Job Release task. (${id})`),
  nodeNotFound: (id: string) => new BatchError(404, "NodeNotFound", `The specified node does not exist. (${id})`),
  fileNotFound: (path: string) => new BatchError(404, "FileNotFound", `The specified file does not exist. (${path})`),
  missingProperty: (name: string) =>
    new BatchError(400, "MissingRequiredProperty", "A required property was not specified in the request body.", [{ key: "PropertyName", value: name }]),
  invalidPropertyValue: (name: string, value: unknown, reason: string) =>
    new BatchError(400, "InvalidPropertyValue", `The value provided for one of the properties in the request body is invalid. ${reason}`, [
      { key: "PropertyName", value: name },
      { key: "PropertyValue", value: String(value) },
      { key: "Reason", value: reason },
    ]),
  /** A body the service cannot read: not JSON, not an object, nested too deeply, ... */
  invalidRequestBody: (reason: string) =>
    new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.", [{ key: "Reason", value: reason }]),
  /** A property the request's type does not have, named by its full path (`startTask.userIdentity.bogus`). */
  unknownProperty: (path: string, typeName: string) =>
    new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.", [
      { key: "PropertyName", value: path },
      { key: "Reason", value: `The property '${path}' does not exist on type '${typeName}'.` },
    ]),
  /**
   * A value of the wrong JSON type (a string for an object, a number for a list item, ...). The
   * service's OData reader answers these as an invalid body, not an invalid value: "Cannot convert
   * a primitive value to the expected type 'Edm.String'" (Azure/azure-powershell#12147), "An
   * unexpected 'StartObject' node was found ... A 'PrimitiveValue' node was expected"
   * (Azure/doAzureParallel#211).
   */
  wrongPropertyType: (path: string, value: string, expected: string) =>
    new BatchError(400, "InvalidRequestBody", "The specified Request Body is not syntactically valid.", [
      { key: "PropertyName", value: path },
      { key: "PropertyValue", value },
      { key: "Reason", value: `Cannot convert the value of '${path}' to the expected type: ${expected}.` },
    ]),
  unsupportedProperty: (name: string, reason: string) =>
    new BatchError(400, "UnsupportedProperty", `The specified property is not supported. ${reason}`, [
      { key: "PropertyName", value: name },
      { key: "Reason", value: reason },
    ]),
  tooManyTasks: (count: number, max: number) =>
    new BatchError(400, "InvalidPropertyValue", `The number of tasks in one collection must not exceed ${max}.`, [
      { key: "PropertyName", value: "value" },
      { key: "PropertyValue", value: String(count) },
      { key: "Reason", value: `At most ${max} tasks can be added in one request.` },
    ]),
  requestBodyTooLarge: (bytes: number) =>
    new BatchError(413, "RequestBodyTooLarge", `The request body is too large and exceeds the maximum permissible limit. (${bytes} bytes)`),
  /** A header whose value is not in the form the service reads (`ocp-range: abc`, a `Content-MD5` that is not base64 MD5). */
  invalidHeaderValue: (name: string, value: string, reason: string) =>
    new BatchError(400, "InvalidHeaderValue", "The value provided for one of the HTTP headers was not in the correct format.", [
      { key: "HeaderName", value: name },
      { key: "HeaderValue", value: value.length > 128 ? `${value.slice(0, 128)}...` : value },
      { key: "Reason", value: reason },
    ]),
  /**
   * A body whose MD5 is not the `Content-MD5` the client sent. The Batch error list has no code for
   * this; the code, message and detail keys are Azure Storage's (StorageErrorCodeStrings), whose
   * common codes the Batch list repeats (InvalidHeaderValue, InvalidRange, RequestBodyTooLarge, ...).
   */
  md5Mismatch: (userSpecified: string, serverCalculated: string) =>
    new BatchError(400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.", [
      { key: "UserSpecifiedMd5", value: userSpecified },
      { key: "ServerCalculatedMd5", value: serverCalculated },
    ]),
  /** `ocp-range` asks for bytes the file does not have (416, "Batch status and error codes"). */
  invalidRange: (reason: string) =>
    new BatchError(416, "InvalidRange", "The range specified is invalid for the current size of the resource.", [{ key: "Reason", value: reason }]),
  conditionNotMet: (statusCode: 412) => new BatchError(statusCode, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met."),
  operationTimedOut: (what: string) => new BatchError(500, "OperationTimedOut", `The operation timed out: ${what}`),
  serverError: (message: string) => new BatchError(500, "InternalError", message),
  /** A failure of the machinery underneath (Docker, storage), mapped into the Batch format. */
  backendUnavailable: (what: string, cause: string) => new BatchError(503, "ServerBusy", `${what} is not available: ${cause}`),
  /** Job_Patch/Job_Update changing the pool of a job that is not disabled (the REST docs allow it only then; the code is our choice). */
  jobPoolFixed: (id: string) =>
    new BatchError(409, "OperationInvalidForCurrentState", `The pool of a job can be changed only while the job is disabled. (${id})`),
  /** An operation on a node in a state that does not allow it (e.g. killing a node that is not running). */
  nodeNotRunning: (id: string) =>
    new BatchError(409, "OperationInvalidForCurrentState", `The operation is not allowed in the compute node's current state. (${id})`),
  /**
   * A node operation its state does not allow (REST: a node can be rebooted, reimaged or
   * deallocated "only if it is in an idle or running state", started only when deallocated). The
   * codes of the .NET SDK's BatchErrorCodeStrings where one fits the state (NodeBeingCreated,
   * NodeBeingStarted, NodeBeingRebooted, NodeBeingReimaged, NodeStateUnusable), the generic
   * OperationInvalidForCurrentState otherwise; 409 as every state conflict.
   */
  nodeStateConflict: (nodeId: string, state: string, operation: string) => {
    const codes: Record<string, string> = {
      creating: "NodeBeingCreated",
      starting: "NodeBeingStarted",
      waitingforstarttask: "NodeBeingStarted",
      rebooting: "NodeBeingRebooted",
      reimaging: "NodeBeingReimaged",
      unusable: "NodeStateUnusable",
    };
    return new BatchError(409, codes[state] ?? "OperationInvalidForCurrentState", `The node cannot be ${operation} while it is ${state}. (${nodeId})`, [
      { key: "NodeState", value: state },
    ]);
  },
  /** Disable or enable scheduling of a node already in that scheduling state (BatchErrorCodeStrings.NodeAlreadyInTargetSchedulingState). */
  nodeAlreadyInTargetSchedulingState: (nodeId: string, schedulingState: string) =>
    new BatchError(
      409,
      "NodeAlreadyInTargetSchedulingState",
      `The specified compute node is already in the target scheduling state (${schedulingState}). (${nodeId})`,
    ),
  /** A node VM extension that is not there: local nodes have none (pools with extensions are refused at add). */
  nodeExtensionNotFound: (nodeId: string, name: string) =>
    new BatchError(404, "ResourceNotFound", `The specified extension does not exist on the compute node. (${nodeId}/${name})`, [
      { key: "ExtensionName", value: name },
    ]),
  /** An operation the Azure backend's SDK (@azure/batch 10.2.0, api-version 2022-10-01.16.0) has no call for. */
  operationNotInAzureSdk: (operationId: string, since: string) =>
    new BatchError(
      400,
      "UnsupportedOperation",
      `The Azure backend cannot call ${operationId}: it came with api-version ${since}, and @azure/batch 10.2.0 speaks 2022-10-01.16.0.`,
      [
        { key: "OperationId", value: operationId },
        { key: "Reason", value: `@azure/batch 10.2.0 has no ${operationId}.` },
      ],
    ),
  /** A preemption fault asked of a dedicated node: the service preempts Spot/low-priority nodes only. */
  nodeNotPreemptible: (id: string) =>
    new BatchError(
      409,
      "OperationInvalidForCurrentState",
      `The compute node is dedicated, and only Spot/low-priority compute nodes can be preempted. (${id})`,
      [{ key: "Reason", value: "Azure Batch never preempts dedicated compute nodes; add the pool with targetLowPriorityNodes to get Spot nodes." }],
    ),
  // Node users ("Batch status and error codes": 409 NodeUserExists, 404 NodeUserNotFound, 409 for a node in the wrong state).
  nodeUserExists: (name: string) => new BatchError(409, "NodeUserExists", `The specified node user already exists. (${name})`),
  nodeUserNotFound: (name: string) => new BatchError(404, "NodeUserNotFound", `The specified node user does not exist. (${name})`),
  /** An operation a node allows only while it is idle or running (node users), asked in another state. */
  nodeNotReady: (id: string, state: string) => {
    const [code, message] = NODE_STATE_CONFLICTS[state] ?? ["OperationNotValidOnNode", "The specified operation is not valid on the node."];
    return new BatchError(409, code, `${message} (${id})`, [{ key: "NodeState", value: state }]);
  },
  /** A path that is no Batch operation at all. */
  resourceNotFound: (path: string) => new BatchError(404, "ResourceNotFound", `The specified resource does not exist: ${path}`),
  /** A Batch resource asked with a verb no Batch operation has for it (`PUT /pools/{poolId}`). */
  unsupportedHttpVerb: (method: string, allowed: string[]) =>
    new BatchError(405, "UnsupportedHttpVerb", `The resource doesn't support the HTTP verb ${method}; it supports ${allowed.join(", ")}.`),
  /**
   * A Batch operation Malachite does not emulate yet (src/server/protocol/unserved-operations.ts):
   * 400 `UnsupportedOperation`, as a property it does not emulate is 400 `UnsupportedProperty`.
   * - not 404: a 404 is "the entity does not exist", which SDKs turn into an answer:
   *   `jobSchedule.exists` (HEAD) resolves `false`, `az batch job-schedule show` says "not found";
   * - not 405: that claims the resource lacks the verb, and the service has it;
   * - not 5xx: the emulator is working as designed, and a 5xx reads as a server fault (and is
   *   retried by some clients); the message says plainly that the operation is not emulated.
   * Clients fail at once (4xx is never retried) and `exists` (whose spec lists 200 and 404) rejects.
   */
  notEmulated: (operation: { operationId: string; swaggerOperationId: string; method: string; path: string }) => {
    const names = operation.swaggerOperationId === operation.operationId ? operation.operationId : `${operation.operationId} (${operation.swaggerOperationId})`;
    return new BatchError(400, "UnsupportedOperation", `Malachite does not emulate the Batch operation ${names}, ${operation.method} ${operation.path}, yet.`, [
      { key: "OperationId", value: operation.operationId },
      { key: "SwaggerOperationId", value: operation.swaggerOperationId },
      { key: "Reason", value: "Malachite, a local emulator of Azure Batch, does not serve this operation yet." },
    ]);
  },
} as const;
