import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { compileFilter, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from "../../../src/server/protocol/odata-filter.js";
import { errorOf } from "../../support/error-of.js";

function valueOf(error: BatchError, key: string): string | undefined {
  return error.values.find((v) => v.key === key)?.value;
}

/** Asserts the filter is rejected the way the service rejects it, and returns the Reason. */
function rejects(expression: string): string {
  const error = errorOf(() => compileFilter(expression));
  expect(error.statusCode).toBe(400);
  expect(error.code).toBe("InvalidQueryParameterValue");
  expect(error.message).toBe("The value for one of the query parameters specified in the request URI is invalid.");
  expect(valueOf(error, "QueryParameterName")).toBe("$filter");
  if (expression.length <= MAX_FILTER_LENGTH) expect(valueOf(error, "QueryParameterValue")).toBe(expression);
  const reason = valueOf(error, "Reason");
  expect(reason).toBeTruthy();
  return reason!;
}

const matches = (expression: string, entity: unknown): boolean => compileFilter(expression)(entity);

const completedFailed = {
  id: "Task-7",
  state: "completed",
  stateTransitionTime: "2024-03-01T10:00:00.1234567Z",
  creationTime: "2024-03-01T09:00:00Z",
  executionInfo: { exitCode: 3, result: "failure", retryCount: 0, requeueCount: 0, startTime: "2024-03-01T09:30:00Z" },
  nodeInfo: { nodeId: "tvm-1_1-20240301t090000z", poolId: "pool" },
  requiredSlots: 1,
  ratio: 0.75,
  isDedicated: true,
};

const active = {
  id: "task-8",
  state: "active",
  stateTransitionTime: "2024-03-01T08:00:00Z",
  executionInfo: { retryCount: 0, requeueCount: 0 },
  requiredSlots: 2,
  isDedicated: false,
};

const running = { id: "task-9", state: "running", executionInfo: { exitCode: 0, retryCount: 0, requeueCount: 0 } };

describe("comparison operators", () => {
  it("compares strings with eq and ne", () => {
    expect(matches("state eq 'completed'", completedFailed)).toBe(true);
    expect(matches("state eq 'active'", completedFailed)).toBe(false);
    expect(matches("state ne 'active'", completedFailed)).toBe(true);
    expect(matches("state ne 'completed'", completedFailed)).toBe(false);
  });

  it("orders strings with gt ge lt le", () => {
    expect(matches("state gt 'active'", completedFailed)).toBe(true);
    expect(matches("state lt 'active'", completedFailed)).toBe(false);
    expect(matches("state ge 'completed'", completedFailed)).toBe(true);
    expect(matches("state le 'completed'", completedFailed)).toBe(true);
    expect(matches("state le 'b'", completedFailed)).toBe(false);
  });

  it("compares integers", () => {
    const e = completedFailed;
    expect(matches("executionInfo/exitCode eq 3", e)).toBe(true);
    expect(matches("executionInfo/exitCode ne 3", e)).toBe(false);
    expect(matches("executionInfo/exitCode gt 2", e)).toBe(true);
    expect(matches("executionInfo/exitCode gt 3", e)).toBe(false);
    expect(matches("executionInfo/exitCode ge 3", e)).toBe(true);
    expect(matches("executionInfo/exitCode lt 3", e)).toBe(false);
    expect(matches("executionInfo/exitCode lt 10", e)).toBe(true);
    expect(matches("executionInfo/exitCode le 3", e)).toBe(true);
    expect(matches("executionInfo/exitCode gt -1", e)).toBe(true);
    expect(matches("executionInfo/exitCode eq -1", { executionInfo: { exitCode: -1 } })).toBe(true);
  });

  it("compares decimals and exponents numerically", () => {
    expect(matches("ratio eq 0.75", completedFailed)).toBe(true);
    expect(matches("ratio gt 0.5", completedFailed)).toBe(true);
    expect(matches("ratio lt 7.5e-1", completedFailed)).toBe(false);
    expect(matches("requiredSlots eq 1.0", completedFailed)).toBe(true);
    expect(matches("requiredSlots lt 10", completedFailed)).toBe(true); // not "1" < "10" by accident
    expect(matches("requiredSlots gt 10", { requiredSlots: 9 })).toBe(false);
  });

  it("compares booleans", () => {
    expect(matches("isDedicated eq true", completedFailed)).toBe(true);
    expect(matches("isDedicated eq false", completedFailed)).toBe(false);
    expect(matches("isDedicated ne true", active)).toBe(true);
    expect(matches("isDedicated eq FALSE", active)).toBe(true);
  });

  it("compares with null, and treats a missing property as null", () => {
    expect(matches("executionInfo/exitCode eq null", active)).toBe(true);
    expect(matches("executionInfo/exitCode ne null", active)).toBe(false);
    expect(matches("executionInfo/exitCode eq null", running)).toBe(false);
    expect(matches("executionInfo/exitCode ne null", running)).toBe(true);
    expect(matches("missing eq null", {})).toBe(true);
    expect(matches("a/b/c eq null", { a: { b: null } })).toBe(true);
    expect(matches("null eq null", {})).toBe(true);
    expect(matches("executionInfo/exitCode eq 0", active)).toBe(false);
    expect(matches("executionInfo/exitCode ne 0", active)).toBe(true);
    expect(matches("executionInfo/exitCode gt 0", active)).toBe(false);
    expect(matches("executionInfo/exitCode lt 0", active)).toBe(false);
    expect(matches("executionInfo/exitCode ge null", active)).toBe(false);
    expect(matches("nodeInfo/nodeId eq 'x'", active)).toBe(false);
  });

  it("does not equate values of different types", () => {
    expect(matches("requiredSlots eq '1'", completedFailed)).toBe(false);
    expect(matches("requiredSlots ne '1'", completedFailed)).toBe(true);
    expect(matches("state eq 1", completedFailed)).toBe(false);
    expect(matches("isDedicated eq 'true'", completedFailed)).toBe(false);
    expect(matches("executionInfo eq 'x'", completedFailed)).toBe(false);
    expect(matches("executionInfo ne null", completedFailed)).toBe(true);
    expect(matches("requiredSlots gt 'a'", completedFailed)).toBe(false);
  });

  it("accepts a literal on the left", () => {
    expect(matches("'completed' eq state", completedFailed)).toBe(true);
    expect(matches("2 lt executionInfo/exitCode", completedFailed)).toBe(true);
  });
});

describe("strings", () => {
  it("unescapes '' inside a literal", () => {
    expect(matches("displayName eq 'it''s'", { displayName: "it's" })).toBe(true);
    expect(matches("displayName eq ''''", { displayName: "'" })).toBe(true);
    expect(matches("displayName eq ''", { displayName: "" })).toBe(true);
    expect(matches("displayName eq 'a and b or (c)'", { displayName: "a and b or (c)" })).toBe(true);
  });

  it("compares values case-insensitively, ids included", () => {
    expect(matches("id eq 'task-7'", completedFailed)).toBe(true);
    expect(matches("id eq 'TASK-7'", completedFailed)).toBe(true);
    expect(matches("id ne 'task-7'", completedFailed)).toBe(false);
    expect(matches("state eq 'Completed'", completedFailed)).toBe(true);
    expect(matches("startswith(id,'TASK')", completedFailed)).toBe(true);
  });

  it("keeps property names case-sensitive", () => {
    expect(matches("State eq 'completed'", completedFailed)).toBe(false);
    expect(matches("State eq null", completedFailed)).toBe(true);
    expect(matches("executioninfo/exitCode eq 3", completedFailed)).toBe(false);
  });
});

describe("dates", () => {
  it("compares datetime literals as times", () => {
    const e = completedFailed;
    expect(matches("creationTime eq datetime'2024-03-01T09:00:00Z'", e)).toBe(true);
    expect(matches("creationTime eq DateTime'2024-03-01T09:00:00.000Z'", e)).toBe(true);
    expect(matches("creationTime eq datetime'2024-03-01T10:00:00+01:00'", e)).toBe(true);
    expect(matches("creationTime eq datetime'2024-03-01T09:00:00'", e)).toBe(true); // no offset: UTC
    expect(matches("creationTime gt datetime'2024-01-01T00:00:00Z'", e)).toBe(true);
    expect(matches("creationTime lt datetime'2024-01-01T00:00:00Z'", e)).toBe(false);
    expect(matches("creationTime ge datetime'2024-03-01T09:00:00Z'", e)).toBe(true);
    expect(matches("creationTime le datetime'2024-03-01T08:59:59.999Z'", e)).toBe(false);
    expect(matches("creationTime ne datetime'2024-03-01T09:00:01Z'", e)).toBe(true);
    expect(matches("creationTime gt datetime'2024-03-01'", e)).toBe(true);
  });

  it("accepts RFC 1123 and datetimeoffset literals", () => {
    expect(matches("creationTime eq DateTime'Fri, 01 Mar 2024 09:00:00 GMT'", completedFailed)).toBe(true);
    expect(matches("creationTime eq datetimeoffset'2024-03-01T09:00:00Z'", completedFailed)).toBe(true);
  });

  it("keeps sub-millisecond precision of Batch timestamps", () => {
    const e = completedFailed; // stateTransitionTime 2024-03-01T10:00:00.1234567Z
    expect(matches("stateTransitionTime eq datetime'2024-03-01T10:00:00.1234567Z'", e)).toBe(true);
    expect(matches("stateTransitionTime gt datetime'2024-03-01T10:00:00.1234566Z'", e)).toBe(true);
    expect(matches("stateTransitionTime lt datetime'2024-03-01T10:00:00.1234568Z'", e)).toBe(true);
    expect(matches("stateTransitionTime gt datetime'2024-03-01T10:00:00.123Z'", e)).toBe(true);
  });

  it("compares plain ISO strings with timestamp properties as times", () => {
    const e = completedFailed;
    expect(matches("creationTime eq '2024-03-01T10:00:00+01:00'", e)).toBe(true);
    expect(matches("creationTime eq '2024-03-01T09:00:00.0000000Z'", e)).toBe(true);
    expect(matches("creationTime gt '2024-03-01T09:30:00+01:00'", e)).toBe(true); // 08:30Z, though the string sorts higher
    expect(matches("creationTime lt '2024-03-01T09:30:00+01:00'", e)).toBe(false);
  });

  it("accepts an unquoted OData v4 date-time", () => {
    expect(matches("creationTime eq 2024-03-01T09:00:00Z", completedFailed)).toBe(true);
    expect(matches("executionInfo/startTime gt 2024-03-01T09:00:00Z", completedFailed)).toBe(true);
  });

  it("treats a datetime against a non-timestamp value as unequal", () => {
    expect(matches("state eq datetime'2024-03-01T09:00:00Z'", completedFailed)).toBe(false);
    expect(matches("state ne datetime'2024-03-01T09:00:00Z'", completedFailed)).toBe(true);
    expect(matches("requiredSlots gt datetime'2024-03-01T09:00:00Z'", completedFailed)).toBe(false);
    expect(matches("lastBootTime lt datetime'2024-03-01T09:00:00Z'", completedFailed)).toBe(false);
  });

  it("rejects impossible dates", () => {
    expect(rejects("creationTime eq datetime'2024-02-30T00:00:00Z'")).toMatch(/date-time/);
    expect(rejects("creationTime eq datetime'yesterday'")).toMatch(/date-time/);
    expect(rejects("creationTime eq datetime'2024-01-01T25:00:00Z'")).toMatch(/date-time/);
    expect(rejects("creationTime eq 2024-13-01T00:00:00Z")).toMatch(/date-time/);
  });
});

describe("functions", () => {
  const files = ["wd/out.txt", "stdout.txt", "stderr.txt", "wd", "WD/upper.txt", "shared/wdx"].map((name) => ({ name, isDirectory: false }));
  const names = (expression: string) => files.filter(compileFilter(expression)).map((f) => f.name);

  it("filters files with startswith(name,'wd')", () => {
    expect(names("startswith(name,'wd')")).toEqual(["wd/out.txt", "wd", "WD/upper.txt"]);
    expect(names("startswith(name, 'wd/')")).toEqual(["wd/out.txt", "WD/upper.txt"]);
    expect(names("STARTSWITH ( name , 'std' )")).toEqual(["stdout.txt", "stderr.txt"]);
  });

  it("supports endswith, contains and substringof", () => {
    expect(names("endswith(name,'.txt')")).toEqual(["wd/out.txt", "stdout.txt", "stderr.txt", "WD/upper.txt"]);
    expect(names("contains(name,'wd')")).toEqual(["wd/out.txt", "wd", "WD/upper.txt", "shared/wdx"]);
    expect(names("substringof('err',name)")).toEqual(["stderr.txt"]);
  });

  it("is false on missing or non-string values", () => {
    expect(matches("startswith(name,'x')", {})).toBe(false);
    expect(matches("startswith(requiredSlots,'1')", { requiredSlots: 1 })).toBe(false);
    expect(matches("not startswith(name,'x')", {})).toBe(true);
  });

  it("can be compared with a boolean", () => {
    expect(names("startswith(name,'std') eq true")).toEqual(["stdout.txt", "stderr.txt"]);
    expect(names("startswith(name,'std') eq false")).toEqual(["wd/out.txt", "wd", "WD/upper.txt", "shared/wdx"]);
  });

  it("combines with comparisons", () => {
    expect(matches("(state eq 'running') and startswith(id, 'renderTask')", { id: "renderTask3", state: "running" })).toBe(true);
    expect(matches("(state eq 'running') and startswith(id, 'renderTask')", { id: "other", state: "running" })).toBe(false);
  });
});

describe("logic", () => {
  const t = { a: 1, b: 1, c: 1 };
  const f = (x: string) => matches(x, t);

  it("evaluates and, or, not", () => {
    expect(f("a eq 1 and b eq 1")).toBe(true);
    expect(f("a eq 1 and b eq 2")).toBe(false);
    expect(f("a eq 2 or b eq 1")).toBe(true);
    expect(f("a eq 2 or b eq 2")).toBe(false);
    expect(f("not a eq 2")).toBe(true);
    expect(f("not a eq 1")).toBe(false);
    expect(f("not not a eq 1")).toBe(true);
    expect(f("not (a eq 1)")).toBe(false);
  });

  it("binds and tighter than or", () => {
    expect(f("a eq 1 or b eq 2 and c eq 2")).toBe(true); // a or (b and c)
    expect(f("(a eq 1 or b eq 2) and c eq 2")).toBe(false);
    expect(f("a eq 2 and b eq 2 or c eq 1")).toBe(true); // (a and b) or c
    expect(f("a eq 2 and (b eq 2 or c eq 1)")).toBe(false);
  });

  it("binds not tighter than and / or", () => {
    expect(f("not a eq 2 and b eq 2")).toBe(false); // (not a) and b
    expect(f("not (a eq 2 and b eq 2)")).toBe(true);
    expect(f("not a eq 1 or b eq 1")).toBe(true); // (not a) or b
    expect(f("not (a eq 1 or b eq 1)")).toBe(false);
  });

  it("allows nested parentheses", () => {
    expect(f("((a eq 1))")).toBe(true);
    expect(f("(((a eq 2) or ((b eq 1) and (c eq 1))))")).toBe(true);
    expect(f("(a eq 1) and not ((b eq 2) or (c eq 2))")).toBe(true);
  });

  it("treats keywords case-insensitively", () => {
    expect(f("a EQ 1 AND b Eq 1")).toBe(true);
    expect(f("a eq 2 OR NOT b ne 1")).toBe(true);
    expect(f("a Ge 1 aNd b LE 1 and c lT 2 and c gT 0 and a nE 3")).toBe(true);
    expect(f("a eq TRUE or a eq Null")).toBe(false);
  });

  it("tolerates whitespace", () => {
    expect(f("  a   eq\t1\nand\r\n(b eq 1 )  ")).toBe(true);
    expect(f("(a eq 1)and(b eq 1)")).toBe(true);
    expect(f("a eq 1 and(not(b eq 2))")).toBe(true);
  });

  it("matches everything for a blank filter", () => {
    expect(matches("", {})).toBe(true);
    expect(matches("   ", { a: 1 })).toBe(true);
  });
});

describe("realistic Batch filters", () => {
  const tasks = [completedFailed, active, running, { id: "task-10", state: "completed", executionInfo: { exitCode: 0, result: "success" } }];
  const ids = (expression: string) => tasks.filter(compileFilter(expression)).map((task) => task.id);

  it("finds failed completed tasks", () => {
    expect(ids("state eq 'completed' and executionInfo/result eq 'failure'")).toEqual(["Task-7"]);
  });

  it("finds active or running tasks", () => {
    expect(ids("(state eq 'active') or (state eq 'running')")).toEqual(["task-8", "task-9"]);
  });

  it("finds tasks with a non-zero exit code", () => {
    expect(ids("executionInfo/exitCode ne 0")).toEqual(["Task-7", "task-8"]); // task-8 has no exit code: null ne 0
    expect(ids("(executionInfo/exitCode lt 0) or (executionInfo/exitCode gt 0)")).toEqual(["Task-7"]);
  });

  it("filters nodes by start task info", () => {
    const nodes = [
      { id: "n1", state: "idle", startTaskInfo: { state: "completed", result: "success", exitCode: 0 } },
      { id: "n2", state: "starttaskfailed", startTaskInfo: { state: "completed", result: "failure", exitCode: 1 } },
      { id: "n3", state: "creating" },
    ];
    const pick = (expression: string) => nodes.filter(compileFilter(expression)).map((n) => n.id);
    expect(pick("startTaskInfo/result eq 'failure'")).toEqual(["n2"]);
    expect(pick("startTaskInfo/state eq 'completed' and startTaskInfo/exitCode eq 0")).toEqual(["n1"]);
    expect(pick("state eq 'idle' or state eq 'running'")).toEqual(["n1"]);
  });

  it("filters tasks by node", () => {
    expect(ids("nodeInfo/nodeId eq 'tvm-1_1-20240301t090000z'")).toEqual(["Task-7"]);
  });

  it("filters supported images", () => {
    const images = [
      { nodeAgentSKUId: "batch.node.ubuntu 20.04", osType: "linux", verificationType: "verified" },
      { nodeAgentSKUId: "batch.node.windows amd64", osType: "windows", verificationType: "unverified" },
    ];
    expect(images.filter(compileFilter("verificationType eq 'verified'")).map((i) => i.osType)).toEqual(["linux"]);
    expect(images.filter(compileFilter("nodeAgentSKUId eq 'batch.node.ubuntu 20.04'")).length).toBe(1);
  });
});

describe("safety", () => {
  it("does not read inherited properties", () => {
    expect(matches("constructor eq null", {})).toBe(true);
    expect(matches("toString ne null", {})).toBe(false);
    expect(matches("__proto__ eq null", {})).toBe(true);
  });

  it("does not walk into arrays or primitives", () => {
    expect(matches("metadata/length eq 1", { metadata: [{ name: "a" }] })).toBe(false);
    expect(matches("id/length eq 3", { id: "abc" })).toBe(false);
    expect(matches("state eq 'x'", null)).toBe(false);
    expect(matches("state eq null", "not an object")).toBe(true);
  });

  it("restricts the properties when asked to", () => {
    const filter = compileFilter("state eq 'active' and executionInfo/exitCode eq 0", { properties: ["state", "executionInfo/exitCode"] });
    expect(filter({ state: "active", executionInfo: { exitCode: 0 } })).toBe(true);
    const error = errorOf(() => compileFilter("vmSize eq 'x'", { properties: ["state"] }));
    expect(error.code).toBe("InvalidQueryParameterValue");
    expect(valueOf(error, "Reason")).toMatch(/vmSize/);
  });
});

describe("syntax errors", () => {
  it("rejects an unterminated string", () => {
    expect(rejects("state eq 'active")).toMatch(/Unterminated string literal starting at position 10/);
    expect(rejects("state eq 'it''")).toMatch(/Unterminated/);
    expect(rejects("creationTime eq datetime'2024-01-01")).toMatch(/Unterminated/);
  });

  it("rejects a dangling operator", () => {
    expect(rejects("state eq")).toMatch(/Expected a property name or a value but found the end of the expression/);
    expect(rejects("state eq 'a' and")).toMatch(/end of the expression/);
    expect(rejects("state eq 'a' or")).toMatch(/end of the expression/);
    expect(rejects("not")).toMatch(/end of the expression/);
    expect(rejects("and state eq 'a'")).toMatch(/keyword 'and' at position 1/);
    expect(rejects("state eq 'a' and or x eq 1")).toMatch(/keyword 'or' at position 18/);
    expect(rejects("state eq eq 'a'")).toMatch(/keyword 'eq'/);
  });

  it("rejects a missing comparison", () => {
    expect(rejects("state")).toMatch(/Expected a comparison operator .* after 'state'/);
    expect(rejects("state 'active'")).toMatch(/comparison operator/);
    expect(rejects("state = 'active'")).toMatch(/Unexpected character '=' at position 7/);
    expect(rejects("state == 'active'")).toMatch(/Unexpected character '='/);
    expect(rejects("true")).toMatch(/comparison operator/);
    expect(rejects("state like 'a%'")).toMatch(/comparison operator/);
  });

  it("rejects unknown functions and bad calls", () => {
    expect(rejects("tolower(state) eq 'a'")).toMatch(/Unknown function 'tolower' at position 1/);
    expect(rejects("startswith(name)")).toMatch(/','/);
    expect(rejects("startswith(name,'a','b')")).toMatch(/'\)'/);
    expect(rejects("startswith(name,'a'")).toMatch(/'\)'/);
    expect(rejects("startswith name,'a')")).toMatch(/comparison operator/);
  });

  it("rejects trailing garbage", () => {
    expect(rejects("state eq 'a' 'b'")).toMatch(/Unexpected ''b'' at position 14/);
    expect(rejects("state eq 'a')")).toMatch(/Unexpected '\)' at position 13/);
    expect(rejects("state eq 'a' state eq 'b'")).toMatch(/expected 'and', 'or'/);
    expect(rejects("state eq 'a';drop")).toMatch(/Unexpected character ';'/);
  });

  it("rejects unbalanced parentheses and empty groups", () => {
    expect(rejects("(state eq 'a'")).toMatch(/'\)' to close the '\(' at position 1/);
    expect(rejects("()")).toMatch(/found '\)'/);
    expect(rejects("(")).toMatch(/end of the expression/);
  });

  it("rejects malformed paths and literals", () => {
    expect(rejects("executionInfo/ eq 0")).toMatch(/after '\/' but found the keyword 'eq' at position 16/);
    expect(rejects("executionInfo/")).toMatch(/after '\/' but found the end of the expression/);
    expect(rejects("executionInfo//exitCode eq 0")).toMatch(/after '\/' but found '\/'/);
    expect(rejects("/state eq 0")).toMatch(/found '\/'/);
    expect(rejects("a eq 12abc")).toMatch(/Invalid literal/);
    expect(rejects("a eq 1.")).toMatch(/Invalid literal/);
    expect(rejects("a eq 1L")).toMatch(/Invalid literal/);
    expect(rejects("a eq guid'0000'")).toMatch(/Unknown literal type 'guid'/);
    expect(rejects('a eq "x"')).toMatch(/Unexpected character '"'/);
    expect(rejects("a eq 1e999")).toMatch(/out of range/);
  });

  it("rejects a filter that is too long", () => {
    const long = `state eq '${"x".repeat(MAX_FILTER_LENGTH)}'`;
    const reason = rejects(long);
    expect(reason).toMatch(/at most 4096/);
    const shown = valueOf(
      errorOf(() => compileFilter(long)),
      "QueryParameterValue",
    )!;
    expect(shown.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH + 1);
    // Exactly at the limit is fine.
    const atLimit = `state eq '${"x".repeat(MAX_FILTER_LENGTH - 11)}'`;
    expect(atLimit).toHaveLength(MAX_FILTER_LENGTH);
    expect(compileFilter(atLimit)({ state: "x".repeat(MAX_FILTER_LENGTH - 11) })).toBe(true);
  });

  it("rejects a filter that is nested too deeply", () => {
    const nested = (depth: number) => `${"(".repeat(depth)}a eq 1${")".repeat(depth)}`;
    expect(matches(nested(MAX_FILTER_DEPTH), { a: 1 })).toBe(true);
    expect(rejects(nested(MAX_FILTER_DEPTH + 1))).toMatch(/nested too deeply/);
    expect(rejects(nested(2000))).toMatch(/nested too deeply/);
    expect(rejects(`${"not ".repeat(1000)}a eq 1`)).toMatch(/nested too deeply/);
    expect(matches(`${"not ".repeat(MAX_FILTER_DEPTH)}a eq 1`, { a: 1 })).toBe(true);
  });

  it("handles long flat chains without recursion trouble", () => {
    const chain = Array.from({ length: 200 }, (_, i) => `a eq ${i}`).join(" or ");
    expect(matches(chain, { a: 199 })).toBe(true);
    expect(matches(chain, { a: 200 })).toBe(false);
  });
});
