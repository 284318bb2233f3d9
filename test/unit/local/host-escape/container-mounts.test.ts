/**
 * `containerHostBatchBindMounts` mount parts of the node root by host path: a part a task replaced
 * with a link (say `shared -> /`) must not make the engine mount a host directory.
 */
import { mkdir, realpath, symlink } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planContainerTask, type ContainerContext, type ContainerSettings } from "../../../../src/backends/local/execution/container-task.js";
import { OutsideNodeRootError } from "../../../../src/backends/local/files/node-root-fs.js";
import type { NodeRuntime } from "../../../../src/backends/local/docker/node-runtime.js";
import { escapeFixture, type EscapeFixture } from "./escape-fixture.js";

let fx: EscapeFixture;
const runtime = { inspectImage: async () => ({ id: "sha256:x", env: [] }) } as unknown as NodeRuntime;

beforeEach(async () => {
  fx = await escapeFixture();
  await mkdir(fx.at("workitems/j/job-1/t/wd"), { recursive: true });
});

afterEach(async () => {
  await fx.cleanup();
});

function plan(source: string, containerRunOptions?: string) {
  const settings: ContainerSettings = { imageName: "img", containerHostBatchBindMounts: [{ source }], ...(containerRunOptions ? { containerRunOptions } : {}) };
  const context: ContainerContext & { settings: ContainerSettings } = {
    poolSupportsContainers: true,
    settingsRequired: true,
    settings,
    labels: {},
    newName: () => "c",
    namedOnNode: (name) => `node.${name}`,
  };
  return planContainerTask(runtime, { context, argv: ["true"], env: {}, user: "1001:1001", hostNodeRoot: fx.root, taskDir: "workitems/j/job-1/t" });
}

describe("bind mounts of parts of the node root", () => {
  it("refuse a part that is a link out of the node root", async () => {
    await symlink(fx.outside, fx.at("shared"));
    await expect(plan("Shared")).rejects.toBeInstanceOf(OutsideNodeRootError);
  });

  it("mount a part by its real path inside the node root", async () => {
    const planned = await plan("Task");
    expect(planned).toMatchObject({ plan: { binds: [`${await realpath(fx.root)}/workitems/j/job-1/t:/mnt/batch/tasks/workitems/j/job-1/t`] } });
  });

  it("mount a node-root path of -v or --mount by its real path, and refuse one that links out", async () => {
    const root = await realpath(fx.root);
    const planned = await plan("Task", "-v /mnt/batch/tasks/shared/data:/data:ro --mount type=bind,src=/mnt/batch/tasks/startup,dst=/s -v /opt/tools:/tools");
    expect(planned).toMatchObject({
      plan: {
        binds: [`${root}/workitems/j/job-1/t:/mnt/batch/tasks/workitems/j/job-1/t`, `${root}/shared/data:/data:ro`, "/opt/tools:/tools"],
        engine: { mounts: [{ type: "bind", source: `${root}/startup`, target: "/s", readOnly: false }] },
      },
    });
    await symlink(fx.outside, fx.at("fsmounts"));
    await expect(plan("Task", "-v /mnt/batch/tasks/fsmounts:/m")).rejects.toBeInstanceOf(OutsideNodeRootError);
    await expect(plan("Task", "--mount type=bind,source=/mnt/batch/tasks/fsmounts/x,target=/m")).rejects.toBeInstanceOf(OutsideNodeRootError);
  });
});
