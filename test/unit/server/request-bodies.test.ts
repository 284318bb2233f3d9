import { describe, expect, it } from "vitest";
import type { BatchRequest } from "../../../src/server/http/batch-request.js";
import { jsonBody } from "../../../src/server/http/json-body.js";
import type { Parser } from "../../../src/server/protocol/body-schema.js";
import { parseJobAdd } from "../../../src/server/protocol/schemas/job-add-schema.js";
import { parseJobTerminate } from "../../../src/server/protocol/schemas/job-terminate-schema.js";
import { parsePoolAdd } from "../../../src/server/protocol/schemas/pool-add-schema.js";
import { parsePoolResize } from "../../../src/server/protocol/schemas/pool-resize-schema.js";
import { parseTaskAdd } from "../../../src/server/protocol/schemas/task-add-schema.js";
import { parseTaskCollection } from "../../../src/server/protocol/schemas/task-collection-schema.js";
import { errorOf } from "../../support/error-of.js";

const CURRENT = "2024-07-01.20.0";

function request(body: string, apiVersion = CURRENT): BatchRequest {
  return { method: "POST", url: new URL("http://127.0.0.1/x"), params: {}, headers: {}, body: Buffer.from(body), apiVersion, requestId: "r" };
}

function parse<T>(parser: Parser<T>, body: unknown, apiVersion = CURRENT): T {
  return jsonBody(request(typeof body === "string" ? body : JSON.stringify(body), apiVersion), parser);
}

/** `[code, PropertyName]` of the 400 a body gets. */
function refusal<T>(parser: Parser<T>, body: unknown, apiVersion = CURRENT): [string, string | undefined] {
  const error = errorOf(() => parse(parser, body, apiVersion));
  expect(error.statusCode).toBe(400);
  return [error.code, error.values.find((value) => value.key === "PropertyName")?.value];
}

const VM = {
  imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
  nodeAgentSKUId: "batch.node.ubuntu 22.04",
};
const POOL = { id: "p", vmSize: "standard_d2s_v3", virtualMachineConfiguration: VM, targetDedicatedNodes: 1 };
const TASK = { id: "t", commandLine: "/bin/true" };
const OUTPUT = {
  filePattern: "*.txt",
  destination: { container: { containerUrl: "https://x/c?sig=s" } },
  uploadOptions: { uploadCondition: "taskcompletion" },
};

describe("POST /pools", () => {
  it("reads a full pool into the model, enum values in the REST spelling", () => {
    const pool = {
      ...POOL,
      displayName: "P",
      virtualMachineConfiguration: {
        ...VM,
        containerConfiguration: {
          type: "DockerCompatible",
          containerImageNames: ["busybox"],
          containerRegistries: [{ registryServer: "r.io", username: "u", password: "pw" }],
        },
      },
      resizeTimeout: "PT15M",
      targetLowPriorityNodes: 0,
      enableAutoScale: false,
      enableInterNodeCommunication: false,
      startTask: {
        commandLine: "/bin/true",
        containerSettings: { imageName: "busybox", workingDirectory: "taskWorkingDirectory", registry: { registryServer: "r.io" } },
        resourceFiles: [{ httpUrl: "https://x/b", filePath: "b" }],
        environmentSettings: [{ name: "A", value: "1" }],
        userIdentity: { autoUser: { scope: "Pool", elevationLevel: "Admin" } },
        maxTaskRetryCount: -1,
        waitForSuccess: true,
      },
      taskSlotsPerNode: 2,
      taskSchedulingPolicy: { nodeFillType: "Pack" },
      metadata: [{ name: "k", value: "v" }],
      targetNodeCommunicationMode: "default",
    };
    const parsed = parse(parsePoolAdd, { ...pool, "odata.metadata": "x", applicationLicenses: null });
    expect(parsed.virtualMachineConfiguration?.containerConfiguration?.type).toBe("dockerCompatible");
    expect(parsed.taskSchedulingPolicy).toEqual({ nodeFillType: "pack" });
    expect(parsed.startTask?.userIdentity).toEqual({ autoUser: { scope: "pool", elevationLevel: "admin" } });
    expect(parsed).toEqual({
      ...pool,
      virtualMachineConfiguration: {
        ...pool.virtualMachineConfiguration,
        containerConfiguration: { ...pool.virtualMachineConfiguration.containerConfiguration, type: "dockerCompatible" },
      },
      startTask: { ...pool.startTask, userIdentity: { autoUser: { scope: "pool", elevationLevel: "admin" } } },
      taskSchedulingPolicy: { nodeFillType: "pack" },
    });
  });

  it("refuses values of the wrong JSON type, naming the path", () => {
    expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: "x" })).toEqual(["InvalidRequestBody", "virtualMachineConfiguration"]);
    expect(refusal(parsePoolAdd, { ...POOL, metadata: [1] })).toEqual(["InvalidRequestBody", "metadata[0]"]);
    expect(refusal(parsePoolAdd, { ...POOL, metadata: { name: "k", value: "v" } })).toEqual(["InvalidRequestBody", "metadata"]);
    expect(refusal(parsePoolAdd, { ...POOL, targetDedicatedNodes: "1" })).toEqual(["InvalidRequestBody", "targetDedicatedNodes"]);
    expect(refusal(parsePoolAdd, { ...POOL, startTask: { commandLine: "x", waitForSuccess: "yes" } })).toEqual([
      "InvalidRequestBody",
      "startTask.waitForSuccess",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, startTask: { commandLine: ["x"] } })).toEqual(["InvalidRequestBody", "startTask.commandLine"]);
  });

  it("refuses unknown nested properties by their full path", () => {
    const containers = { type: "dockerCompatible", foo: 1 };
    expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { ...VM, containerConfiguration: containers } })).toEqual([
      "InvalidRequestBody",
      "virtualMachineConfiguration.containerConfiguration.foo",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { ...VM, foo: {} } })).toEqual([
      "InvalidRequestBody",
      "virtualMachineConfiguration.foo",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, startTask: { commandLine: "x", userIdentity: { bogus: true } } })).toEqual([
      "InvalidRequestBody",
      "startTask.userIdentity.bogus",
    ]);
    expect(
      refusal(parsePoolAdd, {
        ...POOL,
        startTask: {
          commandLine: "x",
          resourceFiles: [
            { httpUrl: "u", filePath: "f" },
            { httpUrl: "u", extra: 1 },
          ],
        },
      }),
    ).toEqual(["InvalidRequestBody", "startTask.resourceFiles[1].extra"]);
    expect(refusal(parsePoolAdd, { ...POOL, noSuchProperty: 1 })).toEqual(["InvalidRequestBody", "noSuchProperty"]);
  });

  it("refuses properties of the service Malachite does not emulate, at any depth", () => {
    for (const property of ["extensions", "serviceArtifactReference", "windowsConfiguration", "licenseType"]) {
      expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { ...VM, [property]: {} } })).toEqual([
        "UnsupportedProperty",
        `virtualMachineConfiguration.${property}`,
      ]);
    }
    for (const property of ["networkConfiguration", "certificateReferences", "cloudServiceConfiguration", "upgradePolicy"]) {
      expect(refusal(parsePoolAdd, { ...POOL, [property]: {} })).toEqual(["UnsupportedProperty", property]);
    }
    expect(refusal(parsePoolAdd, { ...POOL, mountConfiguration: [{ nfsMountConfiguration: {} }] })).toEqual([
      "UnsupportedProperty",
      "mountConfiguration[0].nfsMountConfiguration",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, userAccounts: [{ name: "u", password: "p", windowsUserConfiguration: {} }] })).toEqual([
      "UnsupportedProperty",
      "userAccounts[0].windowsUserConfiguration",
    ]);
    const registry = { registryServer: "r.io", identityReference: { resourceId: "/x" } };
    expect(refusal(parsePoolAdd, { ...POOL, startTask: { commandLine: "x", containerSettings: { imageName: "i", registry } } })).toEqual([
      "UnsupportedProperty",
      "startTask.containerSettings.registry.identityReference",
    ]);
    expect(
      refusal(parsePoolAdd, {
        ...POOL,
        virtualMachineConfiguration: { ...VM, containerConfiguration: { type: "dockerCompatible", containerRegistries: [registry] } },
      }),
    ).toEqual(["UnsupportedProperty", "virtualMachineConfiguration.containerConfiguration.containerRegistries[0].identityReference"]);
    expect(
      refusal(parsePoolAdd, { ...POOL, startTask: { commandLine: "x", resourceFiles: [{ httpUrl: "u", filePath: "f", identityReference: {} }] } }),
    ).toEqual(["UnsupportedProperty", "startTask.resourceFiles[0].identityReference"]);
    expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { ...VM, imageReference: { sharedGalleryImageId: "g" } } })).toEqual([
      "UnsupportedProperty",
      "virtualMachineConfiguration.imageReference.sharedGalleryImageId",
    ]);
  });

  it("ignores an image's read-only exactVersion", () => {
    const parsed = parse(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { ...VM, imageReference: { ...VM.imageReference, exactVersion: "1.2.3" } } });
    expect(parsed.virtualMachineConfiguration?.imageReference).toEqual(VM.imageReference);
  });

  it("names a missing required property and an enum value it does not know", () => {
    expect(refusal(parsePoolAdd, { vmSize: "s" })).toEqual(["MissingRequiredProperty", "id"]);
    expect(refusal(parsePoolAdd, { id: "p" })).toEqual(["MissingRequiredProperty", "vmSize"]);
    expect(refusal(parsePoolAdd, { ...POOL, virtualMachineConfiguration: { imageReference: {} } })).toEqual([
      "MissingRequiredProperty",
      "virtualMachineConfiguration.nodeAgentSKUId",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, startTask: {} })).toEqual(["MissingRequiredProperty", "startTask.commandLine"]);
    expect(refusal(parsePoolAdd, { ...POOL, metadata: [{ name: "k" }] })).toEqual(["MissingRequiredProperty", "metadata[0].value"]);
    expect(refusal(parsePoolAdd, { ...POOL, taskSchedulingPolicy: { nodeFillType: "fill" } })).toEqual([
      "InvalidPropertyValue",
      "taskSchedulingPolicy.nodeFillType",
    ]);
    expect(refusal(parsePoolAdd, { ...POOL, resizeTimeout: "15m" })).toEqual(["InvalidPropertyValue", "resizeTimeout"]);
  });

  it("takes the 2017 spellings with the 2017 api-version only", () => {
    const old = { ...POOL, maxTasksPerNode: 2, virtualMachineConfiguration: { ...VM, containerConfiguration: { type: "docker" } } };
    const parsed = parse(parsePoolAdd, old, "2017-09-01.6.0");
    expect(parsed.taskSlotsPerNode).toBe(2);
    expect(parsed).not.toHaveProperty("maxTasksPerNode");
    expect(parsed.virtualMachineConfiguration?.containerConfiguration?.type).toBe("docker");
    expect(refusal(parsePoolAdd, { ...POOL, maxTasksPerNode: 2 })).toEqual(["InvalidRequestBody", "maxTasksPerNode"]);
    expect(parse(parsePoolAdd, { ...POOL, maxTasksPerNode: 2 }, "2020-07-01.11.0").taskSlotsPerNode).toBe(2);
  });
});

describe("POST /pools/{poolId}/resize", () => {
  it("reads a resize and refuses wrong types and unknown properties", () => {
    expect(parse(parsePoolResize, { targetDedicatedNodes: 3, resizeTimeout: "PT5M", nodeDeallocationOption: "TaskCompletion" })).toEqual({
      targetDedicatedNodes: 3,
      resizeTimeout: "PT5M",
      nodeDeallocationOption: "taskcompletion",
    });
    expect(refusal(parsePoolResize, { targetDedicatedNodes: true })).toEqual(["InvalidRequestBody", "targetDedicatedNodes"]);
    expect(refusal(parsePoolResize, { targetDedicatedNodes: 1, force: true })).toEqual(["InvalidRequestBody", "force"]);
  });
});

describe("POST /jobs", () => {
  const JOB = { id: "j", poolInfo: { poolId: "p" } };

  it("reads a job", () => {
    const job = {
      ...JOB,
      displayName: "J",
      priority: 100,
      maxParallelTasks: -1,
      allowTaskPreemption: false,
      constraints: { maxWallClockTime: "PT1H", maxTaskRetryCount: 2 },
      commonEnvironmentSettings: [{ name: "A" }],
      onAllTasksComplete: "TerminateJob",
      onTaskFailure: "noaction",
      metadata: [],
      usesTaskDependencies: false,
    };
    expect(parse(parseJobAdd, job)).toEqual({ ...job, onAllTasksComplete: "terminatejob" });
  });

  it("refuses wrong types, unknown and unsupported properties, and a missing poolInfo", () => {
    expect(refusal(parseJobAdd, { ...JOB, allowTaskPreemption: "x" })).toEqual(["InvalidRequestBody", "allowTaskPreemption"]);
    expect(refusal(parseJobAdd, { ...JOB, constraints: { maxWallClockTime: "PT1H", foo: 1 } })).toEqual(["InvalidRequestBody", "constraints.foo"]);
    expect(refusal(parseJobAdd, { ...JOB, commonEnvironmentSettings: [{ name: "A", value: 1 }] })).toEqual([
      "InvalidRequestBody",
      "commonEnvironmentSettings[0].value",
    ]);
    expect(refusal(parseJobAdd, { ...JOB, networkConfiguration: { subnetId: "x" } })).toEqual(["UnsupportedProperty", "networkConfiguration"]);
    expect(refusal(parseJobAdd, { ...JOB, jobPreparationTask: { commandLine: "x", foo: 1 } })).toEqual(["InvalidRequestBody", "jobPreparationTask.foo"]);
    expect(refusal(parseJobAdd, { ...JOB, jobReleaseTask: { id: "r" } })).toEqual(["MissingRequiredProperty", "jobReleaseTask.commandLine"]);
    expect(refusal(parseJobAdd, { ...JOB, jobManagerTask: { id: "m", commandLine: "x", runExclusive: "yes" } })).toEqual([
      "InvalidRequestBody",
      "jobManagerTask.runExclusive",
    ]);
    expect(refusal(parseJobAdd, { id: "j", poolInfo: { autoPoolSpecification: { pool: { vmSize: "v" } } } })).toEqual([
      "MissingRequiredProperty",
      "poolInfo.autoPoolSpecification.poolLifetimeOption",
    ]);
    expect(refusal(parseJobAdd, { id: "j", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", pool: { id: "p", vmSize: "v" } } } })).toEqual([
      "InvalidRequestBody",
      "poolInfo.autoPoolSpecification.pool.id",
    ]);
    expect(refusal(parseJobAdd, { id: "j", poolInfo: { autoPoolSpecification: { poolLifetimeOption: "job", pool: { vmSize: "v", identity: {} } } } })).toEqual([
      "UnsupportedProperty",
      "poolInfo.autoPoolSpecification.pool.identity",
    ]);
    expect(refusal(parseJobAdd, { id: "j" })).toEqual(["MissingRequiredProperty", "poolInfo"]);
  });
});

describe("POST /jobs/{jobId}/terminate", () => {
  it("reads an optional reason", () => {
    expect(jsonBody(request(""), parseJobTerminate, { whenEmpty: () => ({}) })).toEqual({});
    expect(parse(parseJobTerminate, { terminateReason: "done" })).toEqual({ terminateReason: "done" });
    expect(refusal(parseJobTerminate, { terminateReason: 1 })).toEqual(["InvalidRequestBody", "terminateReason"]);
    expect(refusal(parseJobTerminate, { reason: "x" })).toEqual(["InvalidRequestBody", "reason"]);
  });
});

describe("POST /jobs/{jobId}/tasks", () => {
  it("reads a task with container settings, files and constraints", () => {
    const task = {
      ...TASK,
      displayName: "T",
      containerSettings: { imageName: "busybox", containerRunOptions: "--rm", containerHostBatchBindMounts: [{ source: "task", isReadOnly: true }] },
      resourceFiles: [{ storageContainerUrl: "https://x/c", blobPrefix: "in/", filePath: "in" }],
      outputFiles: [
        {
          ...OUTPUT,
          destination: { container: { ...OUTPUT.destination.container, path: "out", uploadHeaders: [{ name: "Content-Type", value: "text/plain" }] } },
        },
      ],
      environmentSettings: [{ name: "A", value: "1" }],
      constraints: { maxWallClockTime: "PT1M", retentionTime: "P1D", maxTaskRetryCount: 0 },
      requiredSlots: 1,
      userIdentity: { autoUser: { scope: "task" } },
    };
    expect(parse(parseTaskAdd, task)).toEqual({
      ...task,
      containerSettings: { ...task.containerSettings, containerHostBatchBindMounts: [{ source: "Task", isReadOnly: true }] },
    });
  });

  it("refuses unknown and unsupported properties of output files by their full path", () => {
    const container = (extra: object) => ({ ...TASK, outputFiles: [{ ...OUTPUT, destination: { container: { ...OUTPUT.destination.container, ...extra } } }] });
    expect(refusal(parseTaskAdd, container({ identityReference: { resourceId: "/x" } }))).toEqual([
      "UnsupportedProperty",
      "outputFiles[0].destination.container.identityReference",
    ]);
    expect(refusal(parseTaskAdd, container({ bogus: 1 }))).toEqual(["InvalidRequestBody", "outputFiles[0].destination.container.bogus"]);
    expect(refusal(parseTaskAdd, container({ uploadHeaders: [{ name: "x-ms-meta-a", value: "1", foo: 2 }] }))).toEqual([
      "InvalidRequestBody",
      "outputFiles[0].destination.container.uploadHeaders[0].foo",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, outputFiles: [{ ...OUTPUT, uploadOptions: {} }] })).toEqual([
      "MissingRequiredProperty",
      "outputFiles[0].uploadOptions.uploadCondition",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, outputFiles: [{ ...OUTPUT, uploadOptions: { uploadCondition: "always" } }] })).toEqual([
      "InvalidPropertyValue",
      "outputFiles[0].uploadOptions.uploadCondition",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, containerSettings: { imageName: "i", containerHostBatchBindMounts: [{ source: "Home" }] } })).toEqual([
      "InvalidPropertyValue",
      "containerSettings.containerHostBatchBindMounts[0].source",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, multiInstanceSettings: { numberOfInstances: 2, nodes: 2 } })).toEqual([
      "InvalidRequestBody",
      "multiInstanceSettings.nodes",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, multiInstanceSettings: { numberOfInstances: "2" } })).toEqual([
      "InvalidRequestBody",
      "multiInstanceSettings.numberOfInstances",
    ]);
    for (const property of ["affinityInfo", "authenticationTokenSettings"]) {
      expect(refusal(parseTaskAdd, { ...TASK, [property]: {} })).toEqual(["UnsupportedProperty", property]);
    }
  });

  it("reads dependsOn and exitConditions, refusing wrong types and unknown properties by their full path", () => {
    const dependent = {
      ...TASK,
      dependsOn: { taskIds: ["a", "b"], taskIdRanges: [{ start: 1, end: 100000 }] },
      exitConditions: {
        exitCodes: [{ code: 3, exitOptions: { dependencyAction: "Satisfy" } }],
        exitCodeRanges: [{ start: 10, end: 20, exitOptions: { jobAction: "Disable" } }],
        preProcessingError: { dependencyAction: "block" },
        fileUploadError: { jobAction: "none" },
        default: { jobAction: "terminate", dependencyAction: "block" },
      },
    };
    const parsed = parse(parseTaskAdd, dependent);
    expect(parsed.dependsOn).toEqual(dependent.dependsOn);
    expect(parsed.exitConditions?.exitCodes).toEqual([{ code: 3, exitOptions: { dependencyAction: "satisfy" } }]);
    expect(parsed.exitConditions?.exitCodeRanges?.[0]?.exitOptions).toEqual({ jobAction: "disable" });
    expect(refusal(parseTaskAdd, { ...TASK, dependsOn: { taskIds: "a" } })).toEqual(["InvalidRequestBody", "dependsOn.taskIds"]);
    expect(refusal(parseTaskAdd, { ...TASK, dependsOn: { taskIdRanges: [{ start: "1", end: 2 }] } })).toEqual([
      "InvalidRequestBody",
      "dependsOn.taskIdRanges[0].start",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, dependsOn: { taskIdRanges: [{ start: 1 }] } })).toEqual([
      "MissingRequiredProperty",
      "dependsOn.taskIdRanges[0].end",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, exitConditions: { exitCodes: [{ code: 1 }] } })).toEqual([
      "MissingRequiredProperty",
      "exitConditions.exitCodes[0].exitOptions",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, exitConditions: { default: { jobAction: "retry" } } })).toEqual([
      "InvalidPropertyValue",
      "exitConditions.default.jobAction",
    ]);
    expect(refusal(parseTaskAdd, { ...TASK, exitConditions: { bogus: {} } })).toEqual(["InvalidRequestBody", "exitConditions.bogus"]);
  });

  it("takes a resource file's blobSource with api-versions before 2018-12-01.8.0 only", () => {
    const old = { ...TASK, resourceFiles: [{ blobSource: "https://x/b?sig=s", filePath: "b" }] };
    expect(parse(parseTaskAdd, old, "2017-09-01.6.0").resourceFiles).toEqual([{ httpUrl: "https://x/b?sig=s", filePath: "b" }]);
    expect(refusal(parseTaskAdd, old)).toEqual(["InvalidRequestBody", "resourceFiles[0].blobSource"]);
  });
});

describe("POST /jobs/{jobId}/addtaskcollection", () => {
  it("reads up to 100 tasks and names a bad one by its index", () => {
    expect(parse(parseTaskCollection, { value: [TASK, { ...TASK, id: "u" }] }).value.map((task) => task.id)).toEqual(["t", "u"]);
    const value = [TASK, TASK, TASK, { ...TASK, outputFiles: [{ ...OUTPUT, destination: { container: { containerUrl: "u", bogus: 1 } } }] }];
    expect(refusal(parseTaskCollection, { value })).toEqual(["InvalidRequestBody", "value[3].outputFiles[0].destination.container.bogus"]);
    expect(refusal(parseTaskCollection, { value: [TASK, "t"] })).toEqual(["InvalidRequestBody", "value[1]"]);
  });

  it("refuses more than 100 tasks before reading any, and a missing or malformed list", () => {
    const error = errorOf(() => parse(parseTaskCollection, { value: Array.from({ length: 101 }, () => "not even a task") }));
    expect([error.code, error.values[0]]).toEqual(["InvalidPropertyValue", { key: "PropertyName", value: "value" }]);
    expect(refusal(parseTaskCollection, {})).toEqual(["MissingRequiredProperty", "value"]);
    expect(refusal(parseTaskCollection, { value: TASK })).toEqual(["InvalidRequestBody", "value"]);
  });
});

describe("the body as a whole", () => {
  it("refuses an empty body, malformed JSON and anything but an object", () => {
    for (const body of ["", "   ", '{"id": ', "[1, 2, 3]", '"pool"', "null", "42"]) {
      expect(errorOf(() => parse(parsePoolAdd, body)).code, body).toBe("InvalidRequestBody");
    }
  });

  it("refuses nesting deeper than 64 levels before anything walks it, even a million levels", () => {
    const nested = (depth: number) => `{"id":"p","vmSize":"s","metadata":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    expect(errorOf(() => parse(parsePoolAdd, nested(65))).code).toBe("InvalidRequestBody");
    expect(errorOf(() => parse(parsePoolAdd, `{"a":${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}}`)).values[0]?.value).toMatch(/more than 64 levels/);
    // At the limit, the body is read and refused for what it is: a list where an item should be.
    expect(refusal(parsePoolAdd, nested(64))).toEqual(["InvalidRequestBody", "metadata[0]"]);
  });

  it("does not count brackets inside strings", () => {
    const commandLine = `/bin/bash -c '${"[{".repeat(100)}' \\" ${"}]".repeat(100)}`;
    expect(parse(parseTaskAdd, { id: "t", commandLine }).commandLine).toBe(commandLine);
  });
});
