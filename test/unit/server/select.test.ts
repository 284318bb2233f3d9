import { describe, expect, it } from "vitest";
import { BatchError } from "../../../src/core/batch-error.js";
import { applySelect, compileSelect, parseSelect } from "../../../src/server/protocol/select.js";
import { errorOf } from "../../support/error-of.js";

const task = {
  "odata.metadata": "https://acct.region.batch.azure.com/$metadata#tasks/@Element",
  id: "task-1",
  url: "https://acct.region.batch.azure.com/jobs/j/tasks/task-1",
  state: "completed",
  stateTransitionTime: "2024-03-01T10:00:00Z",
  commandLine: "/bin/sh -c 'echo hi'",
  executionInfo: { exitCode: 0, result: "success", retryCount: 0, requeueCount: 0 },
  nodeInfo: { nodeId: "n1" },
};

const TASK_PROPERTIES = ["id", "url", "state", "stateTransitionTime", "commandLine", "executionInfo", "nodeInfo", "displayName", "stats"];

describe("applySelect", () => {
  it("returns the entity unchanged without a selection", () => {
    expect(applySelect(task, undefined)).toBe(task);
    expect(applySelect(task, "")).toBe(task);
    expect(applySelect(task, "  ,  ")).toBe(task);
    expect(applySelect(task, "*")).toBe(task);
    expect(applySelect(task, "id,*")).toBe(task);
  });

  it("keeps only the named top-level properties, whole", () => {
    expect(applySelect(task, "id,state")).toEqual({ "odata.metadata": task["odata.metadata"], id: "task-1", state: "completed" });
    const picked = applySelect(task, "executionInfo");
    expect(picked.executionInfo).toEqual(task.executionInfo);
    expect(Object.keys(picked)).toEqual(["odata.metadata", "executionInfo"]);
  });

  it("tolerates spaces, empty items and duplicates (v13 sends a CSV from an array)", () => {
    expect(Object.keys(applySelect(task, " id , state ,, commandLine, id,"))).toEqual(["odata.metadata", "id", "state", "commandLine"]);
    expect(Object.keys(applySelect(task, "id, state, stateTransitionTime"))).toEqual(["odata.metadata", "id", "state", "stateTransitionTime"]);
  });

  it("keeps the entity's property order", () => {
    expect(Object.keys(applySelect(task, "state,id"))).toEqual(["odata.metadata", "id", "state"]);
  });

  it("compares names case-sensitively", () => {
    expect(applySelect(task, "ID,State")).toEqual({ "odata.metadata": task["odata.metadata"] });
  });

  it("ignores unknown or absent names without a list of known properties", () => {
    expect(applySelect(task, "id,nosuch,displayName")).toEqual({ "odata.metadata": task["odata.metadata"], id: "task-1" });
  });

  it("always keeps odata annotations", () => {
    const withAnnotations = { "odata.metadata": "m", "odata.type": "t", id: "x", state: "active" };
    expect(applySelect(withAnnotations, "state")).toEqual({ "odata.metadata": "m", "odata.type": "t", state: "active" });
    expect(applySelect({ id: "x", state: "active" }, "id")).toEqual({ id: "x" });
  });

  it("does not mutate the entity", () => {
    const copy = structuredClone(task);
    applySelect(task, "id");
    expect(task).toEqual(copy);
  });

  it("keeps a __proto__ key an ordinary property", () => {
    const hostile = JSON.parse('{"id":"x","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const picked = applySelect(hostile, "__proto__,id") as Record<string, unknown>;
    expect(Object.getPrototypeOf(picked)).toBe(Object.prototype);
    expect(Object.keys(picked)).toEqual(["id", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("$select validation", () => {
  it("rejects nested paths and odd names with 400 InvalidQueryParameterValue", () => {
    for (const select of ["executionInfo/exitCode", "id,a.b", "id;state", "-id", "id state"]) {
      const error = errorOf(() => applySelect(task, select));
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe("InvalidQueryParameterValue");
      expect(error.values).toContainEqual({ key: "QueryParameterName", value: "$select" });
      expect(error.values).toContainEqual({ key: "QueryParameterValue", value: select });
      expect(error.values.find((v) => v.key === "Reason")?.value).toBeTruthy();
    }
  });

  it("rejects unknown names when the known properties are given", () => {
    expect(applySelect(task, "id,displayName", TASK_PROPERTIES)).toEqual({ "odata.metadata": task["odata.metadata"], id: "task-1" });
    const error = errorOf(() => applySelect(task, "id,nosuch", TASK_PROPERTIES));
    expect(error.code).toBe("InvalidQueryParameterValue");
    expect(error.values.find((v) => v.key === "Reason")?.value).toMatch(/'nosuch'/);
    expect(errorOf(() => applySelect(task, "Id", TASK_PROPERTIES)).code).toBe("InvalidQueryParameterValue");
  });

  it("rejects an overlong clause", () => {
    expect(errorOf(() => parseSelect("a,".repeat(3000))).code).toBe("InvalidQueryParameterValue");
  });

  it("parses once for a whole list with compileSelect", () => {
    const project = compileSelect("id, state", TASK_PROPERTIES);
    expect([task, { ...task, id: "task-2" }].map(project).map((t) => t.id)).toEqual(["task-1", "task-2"]);
    expect(() => compileSelect("nosuch", TASK_PROPERTIES)).toThrow(BatchError);
    expect(parseSelect(" id ,state ")).toEqual(["id", "state"]);
    expect(parseSelect(undefined)).toBeUndefined();
  });
});
