import { describe, expect, it } from "vitest";
import type { BatchService } from "../../../src/core/backend.js";
import type { CloudTask, TaskState } from "../../../src/core/models/index.js";
import { waitForTasksToComplete } from "../../../src/workflow/wait-for-tasks.js";
import { FakeClock } from "../../support/fake-clock.js";
import { settle } from "../../support/settle.js";

/** A job's tasks as a service holds them, read through `task.list`; `notifies` gives it `watch`, as the local backend has. */
class FakeTasks {
  readonly reads: number[] = [];
  readonly listeners = new Set<() => void>();
  states: TaskState[] = ["running", "running"];

  constructor(
    readonly clock: FakeClock,
    private readonly notifies: boolean,
  ) {}

  /** Moves the tasks on; a notifying service tells its watchers, as after every state change. */
  set(states: TaskState[]): void {
    this.states = states;
    if (this.notifies) for (const listener of this.listeners) listener();
  }

  get service(): BatchService {
    const task = {
      list: async (): Promise<CloudTask[]> => {
        this.reads.push(this.clock.now() - start);
        return this.states.map((state, index) => ({ id: `t${index}`, state, executionInfo: { retryCount: 0, requeueCount: 0 } }) as CloudTask);
      },
    };
    const watch = (listener: () => void) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    };
    const start = this.clock.now();
    return (this.notifies ? { task, watch } : { task }) as unknown as BatchService;
  }
}

/** Starts the wait and lets it make its first read. */
async function waitOn(tasks: FakeTasks, options: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {}) {
  const output = { text: "", settled: false };
  const done = waitForTasksToComplete(tasks.service, "J", {
    timeoutMs: options.timeoutMs ?? 60_000,
    pollMs: options.pollMs ?? 1000,
    write: (text) => (output.text += text),
    signal: options.signal,
    clock: tasks.clock,
  });
  done.then(
    () => (output.settled = true),
    () => (output.settled = true),
  );
  await settle();
  return { output, done };
}

const HEADER = "Monitoring all tasks for 'Completed' state, timeout in 0:01:00";

describe("waiting for the tutorial's tasks on a service that notifies its changes", () => {
  it("sees the last completion as it happens, without waiting for the next poll", async () => {
    const tasks = new FakeTasks(new FakeClock(), true);
    const { output, done } = await waitOn(tasks);
    expect(tasks.reads).toEqual([0]);
    tasks.set(["completed", "running"]);
    await settle();
    tasks.set(["completed", "completed"]);
    await settle();
    expect(output.settled).toBe(true);
    expect((await done).map((task) => task.state)).toEqual(["completed", "completed"]);
    expect(tasks.reads).toEqual([0, 0, 0]);
    // The dots are the tutorial's polls: one, at the start; the reads on changes add none.
    expect(output.text).toBe(`${HEADER}.\n`);
    expect(tasks.listeners.size).toBe(0);
  });

  it("reads once for all the changes made in one turn", async () => {
    const tasks = new FakeTasks(new FakeClock(), true);
    await waitOn(tasks);
    tasks.set(["preparing", "running"]);
    tasks.set(["running", "running"]);
    tasks.set(["running", "preparing"]);
    await settle();
    expect(tasks.reads).toEqual([0, 0]);
  });

  it("still polls every poll interval, a dot each, while nothing changes", async () => {
    const tasks = new FakeTasks(new FakeClock(), true);
    const { output } = await waitOn(tasks);
    await tasks.clock.advance(999);
    expect(tasks.reads).toEqual([0]);
    await tasks.clock.advance(1);
    expect(tasks.reads).toEqual([0, 1000]);
    tasks.set(["completed", "running"]);
    await settle();
    await tasks.clock.advance(1000);
    expect(tasks.reads).toEqual([0, 1000, 1000, 2000]);
    expect(output.text).toBe(`${HEADER}...`);
  });

  it("gives up at the timeout, as the tutorial does, and stops listening", async () => {
    const tasks = new FakeTasks(new FakeClock(), true);
    const { output, done } = await waitOn(tasks, { timeoutMs: 2_500 });
    const failure = done.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    await tasks.clock.advance(2_500);
    expect(await failure).toMatchObject({ message: "ERROR: Tasks did not reach 'Completed' state within timeout period of 0:00:02" });
    expect(output.text).toBe("Monitoring all tasks for 'Completed' state, timeout in 0:00:02...\n");
    expect(tasks.listeners.size).toBe(0);
  });

  it("ends at once when interrupted, without waiting for the next poll", async () => {
    const tasks = new FakeTasks(new FakeClock(), true);
    const abort = new AbortController();
    const { output, done } = await waitOn(tasks, { signal: abort.signal });
    const failure = done.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    abort.abort();
    await settle();
    expect(output.settled).toBe(true);
    expect(await failure).toMatchObject({ name: "AbortError" });
    expect(tasks.listeners.size).toBe(0);
  });
});

describe("waiting for the tutorial's tasks on a service that cannot notify (REST)", () => {
  it("polls after 100 ms, then twice as long each time up to the poll interval, a dot per poll", async () => {
    const tasks = new FakeTasks(new FakeClock(), false);
    const { output } = await waitOn(tasks);
    await tasks.clock.advance(3_500);
    expect(tasks.reads).toEqual([0, 100, 300, 700, 1500, 2500, 3500]);
    expect(output.text).toBe(`${HEADER}.......`);
  });

  it("polls often again once a poll sees the tasks move on, and ends at the poll that sees them all completed", async () => {
    const tasks = new FakeTasks(new FakeClock(), false);
    const { output, done } = await waitOn(tasks);
    await tasks.clock.advance(1500);
    expect(tasks.reads).toEqual([0, 100, 300, 700, 1500]);
    tasks.set(["completed", "running"]);
    await tasks.clock.advance(1000);
    expect(tasks.reads).toEqual([0, 100, 300, 700, 1500, 2500]);
    tasks.set(["completed", "completed"]);
    await tasks.clock.advance(99);
    expect(output.settled).toBe(false);
    await tasks.clock.advance(1);
    expect(output.settled).toBe(true);
    expect(tasks.reads).toEqual([0, 100, 300, 700, 1500, 2500, 2600]);
    expect((await done).every((task) => task.state === "completed")).toBe(true);
    expect(output.text).toBe(`${HEADER}.......\n`);
  });

  it("never polls more often than a poll interval shorter than the first backoff step", async () => {
    const tasks = new FakeTasks(new FakeClock(), false);
    await waitOn(tasks, { pollMs: 40 });
    await tasks.clock.advance(120);
    expect(tasks.reads).toEqual([0, 40, 80, 120]);
  });
});
