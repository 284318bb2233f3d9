/**
 * Request bodies for the fuzz test: valid bodies of every create and action, the same with one
 * value swapped for a value of another type, JSON nested too deep, and JSON that is no JSON.
 */
import type { Random } from "./seeded-random.js";

/** The existing pool and job the bodies refer to. */
export interface BodyTargets {
  poolId: string;
  jobId: string;
}

/** Values of every JSON type, some of them huge or odd. */
export const WRONG_TYPES: unknown[] = [
  123,
  -1,
  1.5,
  1e308,
  0,
  "text",
  "",
  true,
  false,
  [],
  [1, "x"],
  {},
  { a: 1 },
  "x".repeat(3000),
  "\u0000\uffff",
  "9".repeat(400),
  [[[[]]]],
];

/** A URL shaped like a blob SAS URL: its signature must never reach a log. */
export const SAS_URL = "https://acct.blob.core.windows.net/c/input.txt?sv=2021-08-06&sr=b&sp=r&sig=FUZZSECRETSIGNATURE";

function valueOfAnotherType(random: Random, original: unknown): unknown {
  const typeOf = (value: unknown) => (Array.isArray(value) ? "array" : value === null ? "null" : typeof value);
  for (;;) {
    const candidate = random.pick(WRONG_TYPES);
    if (typeOf(candidate) !== typeOf(original)) return candidate;
  }
}

/** Valid bodies of the create and action operations, and where they go. */
function validBodies(t: BodyTargets, id: string): { path: string; body: Record<string, unknown> }[] {
  const task = {
    id,
    commandLine: "/bin/echo fuzz",
    displayName: "fuzz task",
    resourceFiles: [{ httpUrl: SAS_URL, filePath: "in/input.txt" }],
    environmentSettings: [{ name: "A", value: "b" }],
    constraints: { maxWallClockTime: "PT1H", retentionTime: "PT1H", maxTaskRetryCount: 0 },
    requiredSlots: 1,
    userIdentity: { autoUser: { scope: "task", elevationLevel: "nonadmin" } },
    outputFiles: [
      { filePattern: "*.txt", destination: { container: { containerUrl: SAS_URL, path: "out" } }, uploadOptions: { uploadCondition: "taskcompletion" } },
    ],
  };
  return [
    {
      path: "/pools",
      body: {
        id,
        vmSize: "standard_d2s_v3",
        virtualMachineConfiguration: {
          imageReference: { publisher: "canonical", offer: "0001-com-ubuntu-server-jammy", sku: "22_04-lts", version: "latest" },
          nodeAgentSKUId: "batch.node.ubuntu 22.04",
        },
        targetDedicatedNodes: 0,
        resizeTimeout: "PT15M",
        taskSlotsPerNode: 1,
        taskSchedulingPolicy: { nodeFillType: "spread" },
        startTask: { commandLine: "/bin/true", resourceFiles: [{ httpUrl: SAS_URL, filePath: "s.txt" }], waitForSuccess: true, maxTaskRetryCount: 1 },
        metadata: [{ name: "k", value: "v" }],
        enableInterNodeCommunication: false,
      },
    },
    {
      path: "/jobs",
      body: {
        id,
        displayName: "fuzz job",
        priority: 0,
        maxParallelTasks: -1,
        constraints: { maxWallClockTime: "PT1H", maxTaskRetryCount: 0 },
        poolInfo: { poolId: t.poolId },
        onAllTasksComplete: "noaction",
        commonEnvironmentSettings: [{ name: "A", value: "b" }],
        metadata: [{ name: "k", value: "v" }],
      },
    },
    { path: `/jobs/${t.jobId}/tasks`, body: task },
    { path: `/jobs/${t.jobId}/addtaskcollection`, body: { value: [task, { ...task, id: `${id}-2` }] } },
    {
      path: `/pools/${t.poolId}/resize`,
      body: { targetDedicatedNodes: 1, targetLowPriorityNodes: 0, resizeTimeout: "PT15M", nodeDeallocationOption: "requeue" },
    },
    // A node the pool does not have: the pool keeps its node for the other requests.
    { path: `/pools/${t.poolId}/removenodes`, body: { nodeList: ["tvm-none"], resizeTimeout: "PT15M", nodeDeallocationOption: "requeue" } },
    { path: `/jobs/${t.jobId}/terminate`, body: { terminateReason: "fuzz" } },
  ];
}

/** Every path to a value inside `value`, as key lists. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => leafPaths(item, [...prefix, key]))].filter((path) => path.length > 0);
}

function replacedAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replacedAt(copy[head], rest, replacement);
  return copy;
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<string | number, unknown>)[key], value);
}

/** Each valid body with one value, at every path in turn, swapped for a value of another type; ids made unique. */
export function wrongTypeBodies(t: BodyTargets, random: Random): { path: string; json: string }[] {
  const bodies: { path: string; json: string }[] = [];
  validBodies(t, "fz-typed").forEach(({ path, body }, n) => {
    for (const at of leafPaths(body)) {
      const mutated = replacedAt(body, at, valueOfAnotherType(random, valueAt(body, at)));
      const unique = (key: string, value: unknown) => (key === "id" && typeof value === "string" ? `${value}-${n}-${bodies.length}` : value);
      bodies.push({ path, json: JSON.stringify(mutated, unique) });
    }
  });
  return bodies;
}

export function deepJson(random: Random): string {
  const depth = random.pick([65, 200, 5000, 100_000]);
  const open = random.chance(0.5) ? "[" : '{"a":';
  const close = open === "[" ? "]" : "}";
  return open.repeat(depth) + "1" + (random.chance(0.8) ? close.repeat(depth) : "");
}

export function malformedJson(random: Random): string | Buffer {
  return random.pick<string | Buffer>([
    "{",
    "}",
    '{"id": "x",}',
    "{'id': 'x'}",
    "nul",
    "[]",
    "null",
    '"just a string"',
    "123",
    '{"id": "x" "vmSize": "y"}',
    '{"__proto__": {"polluted": true}, "id": "x"}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"id": "a", "id": "b"}',
    "\ufeff{}",
    Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    `{"id": "${"\\u0000".repeat(100)}"}`,
    `{"value": [${Array.from({ length: 5000 }, () => "{}").join(",")}]}`,
    random.token(200),
  ]);
}
