/** Job_Disable, Job_Enable and a task's dependsOn/exitConditions through @azure/batch 10.2.0, with the HTTP layer faked. */
import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { backendAnswering } from "./fake-batch-service.js";

describe("the Azure backend's job disable and enable", () => {
  it("sends POST /jobs/{id}/disable with disableTasks and the conditions", async () => {
    const { backend, requests } = await backendAnswering((request, url) =>
      request.method === "POST" && url.pathname === "/jobs/job1/disable" ? { status: 202 } : undefined,
    );
    await backend.batch.job.disable("job1", "requeue", { conditions: { ifMatch: '"0x1"' } });
    const [disable] = requests;
    expect(disable?.method).toBe("POST");
    expect(JSON.parse(disable?.body as string)).toEqual({ disableTasks: "requeue" });
    expect(disable?.headers.get("if-match")).toBe('"0x1"');
  });

  it("sends POST /jobs/{id}/enable", async () => {
    const { backend, requests } = await backendAnswering((request, url) =>
      request.method === "POST" && url.pathname === "/jobs/job1/enable" ? { status: 202 } : undefined,
    );
    await backend.batch.job.enable("job1");
    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual(["POST /jobs/job1/enable"]);
  });

  it("maps the service's 409 JobNotActive", async () => {
    const { backend } = await backendAnswering(() => ({
      status: 409,
      json: { code: "JobNotActive", message: { lang: "en-US", value: "The specified job is not in active state." } },
    }));
    const error = (await backend.batch.job.disable("job1", "wait").catch((caught: unknown) => caught)) as BatchError;
    expect(error).toMatchObject({ statusCode: 409, code: "JobNotActive" });
  });

  it("passes a task's dependsOn and exitConditions through to the service", async () => {
    const task = {
      id: "merge",
      commandLine: "merge",
      dependsOn: { taskIds: ["a"], taskIdRanges: [{ start: 1, end: 3 }] },
      exitConditions: { exitCodes: [{ code: 3, exitOptions: { dependencyAction: "satisfy" as const } }], default: { jobAction: "terminate" as const } },
    };
    const { backend, requests } = await backendAnswering((request, url) => {
      if (request.method === "POST" && url.pathname === "/jobs/job1/tasks") return { status: 201 };
      if (request.method === "GET" && url.pathname === "/jobs/job1/tasks/merge") return { status: 200, json: { ...task, state: "active" } };
      return undefined;
    });
    await backend.batch.task.add("job1", task);
    const body = JSON.parse(requests[0]?.body as string) as Record<string, unknown>;
    expect(body.dependsOn).toEqual(task.dependsOn);
    expect(body.exitConditions).toEqual(task.exitConditions);
  });
});
