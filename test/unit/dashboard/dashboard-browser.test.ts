/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, against a test
 * bed (fake node runtime, fake clock) whose tasks the test runs and ends. Saves a screenshot of
 * each view under test-output/dashboard/ (with MALACHITE_UPDATE_DOCS=1, the job view as the README's
 * docs/dashboard.png too), and prints the page's load time and the update latency (a task's end to
 * its new state on screen).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardServer } from "../../../src/dashboard/dashboard-server.js";
import type { HeldProgram, HeldRun } from "../../support/held-program.js";
import { IN_CI } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";
import { builtDashboard } from "./dashboard-bundle.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const OUTPUT = path.join(ROOT, "test-output", "dashboard");
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (missing && !IN_CI) console.warn(`skipping the dashboard's browser test: ${missing}`);

let bed: TestBed;
let dashboard: DashboardServer;
let browser: Browser;
let page: Page;
let work: HeldProgram;
const consoleErrors: string[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** The little of the page's DOM the checks below read (this file is type-checked without the DOM's types). */
interface PageDocument {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: string): { textContent: string | null } | null;
}

/** Waits until `selector` matches `count` elements (checked in the page: its CSP allows no string evaluation). */
async function waitForCount(selector: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([selector, count]) => (globalThis as unknown as { document: PageDocument }).document.querySelectorAll(selector).length === count,
    [selector, count] as const,
  );
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
}

/** Ends a held task's run and measures how long until its row shows `completed`. */
async function finishAndTime(run: HeldRun, taskId: string, exitCode = 0): Promise<number> {
  const start = performance.now();
  run.finish(exitCode);
  await page.waitForSelector(`tr[data-task="${taskId}"][data-state="completed"]`, { timeout: 5000 });
  return performance.now() - start;
}

describe.skipIf(missing !== undefined && !IN_CI)("the dashboard in chromium", () => {
  beforeAll(async () => {
    if (missing) throw new Error(`the browser test needs chromium in CI: ${missing}`);
    await mkdir(OUTPUT, { recursive: true });
    bed = await TestBed.start({ server: true });
    work = bed.runtime.hold("render");
    bed.runtime.programs.set("/bin/bash", (run) => ({
      stdout: `rendering ${run.env.AZ_BATCH_TASK_ID}: frame 1 of 3 done\n`,
      waitFor: new Promise(() => undefined),
    }));
    dashboard = await DashboardServer.listen(bed.batch, { host: "127.0.0.1", port: 0, assetsDir: await builtDashboard() });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    page.on("response", (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await bed?.close();
  });

  it("shows the account, a pool's nodes, a job's tasks and timeline live, and a task's output", async () => {
    const client = await bed.client();
    await bed.addPool("render-pool", { targetDedicatedNodes: 3, taskSlotsPerNode: 2 });
    await client.job.add({ id: "render-job", poolInfo: { poolId: "render-pool" } });

    const navigation = performance.now();
    await page.goto(`${dashboard.url}/`);
    await page.waitForSelector('tr[data-pool="render-pool"]');
    const loadMs = performance.now() - navigation;
    const domLoadedMs = await page.evaluate(
      () => (performance.getEntriesByType("navigation" as never)[0] as unknown as { domContentLoadedEventEnd: number }).domContentLoadedEventEnd,
    );
    expect(await page.locator('tr[data-job="render-job"]').count()).toBe(1);
    await screenshot("overview");

    await page.goto(`${dashboard.url}/#/jobs/render-job`);
    await page.waitForSelector('section[data-view="job"]');
    const ids = ["frame-01", "frame-02", "frame-03", "frame-04", "frame-05", "frame-06", "frame-07"];
    await client.task.addCollection("render-job", [
      { id: "talker", commandLine: "/bin/bash -c 'render --verbose'" },
      { id: "flaky", commandLine: "render", constraints: { maxTaskRetryCount: 1 } },
      ...ids.map((id) => ({ id, commandLine: "render" })),
    ]);
    // Nine tasks, six slots: six run, three wait; the table shows them as the service does.
    await page.waitForSelector('tr[data-task="frame-07"]');
    await bed.waitFor(() => work.running.length === 5, "five held tasks running");
    await waitForCount('tr[data-state="running"]', 6);
    expect(await page.locator('tr[data-state="active"]').count()).toBe(3);

    // Tasks end one by one on the fake clock; each end lets a waiting task start.
    const latencies: number[] = [];
    const flakyFirst = await work.started("flaky");
    await bed.clock.advance(20_000);
    flakyFirst.finish(1);
    for (const id of ids) {
      const run = await work.started(id);
      await bed.clock.advance(15_000);
      latencies.push(await finishAndTime(run, id));
    }
    const flakySecond = await bed.waitFor(
      () => work.running.find((run) => run.env.AZ_BATCH_TASK_ID === "flaky" && run !== flakyFirst),
      "the flaky task's retry",
    );
    await bed.clock.advance(10_000);
    latencies.push(await finishAndTime(flakySecond, "flaky"));

    // The timeline: one bar per run, on the node it ran on; the flaky task ran twice.
    const tasks = await client.task.list("render-job");
    for (const id of ids) {
      const node = tasks.find((task) => task.id === id)?.nodeInfo?.nodeId;
      await page.waitForSelector(`rect[data-task="${id}"][data-node="${node}"]`);
      expect(await page.locator(`rect[data-task="${id}"]`).count()).toBe(1);
    }
    const flakyBars = page.locator('rect[data-task="flaky"]');
    expect(await flakyBars.count()).toBe(2);
    expect(await flakyBars.nth(0).getAttribute("data-node")).toBe(flakyFirst.env.AZ_BATCH_NODE_ID);
    expect(await flakyBars.nth(1).getAttribute("data-node")).toBe(flakySecond.env.AZ_BATCH_NODE_ID);
    expect(await flakyBars.nth(0).getAttribute("class")).toContain("bar-failure");

    await page.click('button[data-filter="running"]');
    await waitForCount("table.tasks tbody tr", 1);
    expect(await page.locator('table.tasks tr[data-task="talker"]').count()).toBe(1);
    await page.click('button[data-filter="all"]');
    await waitForCount("table.tasks tbody tr", 9);
    await screenshot("job");
    if (process.env.MALACHITE_UPDATE_DOCS === "1") await page.screenshot({ path: path.join(ROOT, "docs", "dashboard.png") });

    await page.goto(`${dashboard.url}/#/pools/render-pool`);
    await page.waitForSelector("button.node");
    expect(await page.locator("button.node").count()).toBe(3);
    expect(await page.locator('button.node[data-state="running"]').count()).toBe(1);
    await page.locator('button.node[data-state="running"]').click();
    await page.waitForSelector(".node-detail .files table");
    await screenshot("pool");

    await page.goto(`${dashboard.url}/#/jobs/render-job/tasks/talker`);
    await page.waitForFunction(
      (text) => (globalThis as unknown as { document: PageDocument }).document.querySelector('pre[data-output="stdout.txt"]')?.textContent?.includes(text),
      "rendering talker: frame 1 of 3 done",
    );
    await screenshot("task");

    expect(consoleErrors).toEqual([]);
    console.log(
      `dashboard figures: page load (navigation to first data on screen) ${loadMs.toFixed(0)} ms, DOMContentLoaded ${domLoadedMs.toFixed(0)} ms; ` +
        `update latency (task end to its state on screen) median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms over ${latencies.length} tasks`,
    );
  }, 60_000);
});
