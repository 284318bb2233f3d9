/**
 * Pool_ListUsageMetrics (`GET /poolusagemetrics`) from the emulator's own accounting: node time per
 * pool per hour-aligned interval, in core hours, on the backend's clock, surviving a restart.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   response bodies of signed requests are untyped JSON here, read as the wire carries them. */
import type { BatchServiceClient } from "@azure/batch";
import { afterEach, describe, expect, it } from "vitest";
import { coresOf, poolUsageMetrics } from "../../../src/backends/local/services/pool-usage-metrics.js";
import { FAKE_CLOCK_START, FakeClock } from "../../support/fake-clock.js";
import { signedFetcher } from "../../support/signed-fetch.js";
import { startOn } from "../../support/start-on-data-dir.js";
import { TestBed } from "../../support/test-bed.js";
import { waitFor } from "../../support/settle.js";

const HOUR = 3_600_000;
const at = (hours: number) => new Date(FAKE_CLOCK_START + hours * HOUR).toISOString();

describe("poolUsageMetrics", () => {
  const lifetimes = [
    { poolId: "p", nodeId: "n1", vmSize: "Standard_D4s_v3", start: at(0.5), end: at(2.25) },
    { poolId: "p", nodeId: "n2", vmSize: "Standard_D4s_v3", start: at(1), end: undefined },
    { poolId: "q", nodeId: "n3", vmSize: "small", start: at(0), end: at(1) },
  ];

  it("sums node time times cores per pool and complete hour, oldest first", () => {
    const metrics = poolUsageMetrics(lifetimes, { startTime: at(0) }, FAKE_CLOCK_START + 3.5 * HOUR);
    expect(metrics).toEqual([
      { poolId: "p", startTime: at(0), endTime: at(1), vmSize: "Standard_D4s_v3", totalCoreHours: 2 },
      { poolId: "q", startTime: at(0), endTime: at(1), vmSize: "small", totalCoreHours: 1 },
      { poolId: "p", startTime: at(1), endTime: at(2), vmSize: "Standard_D4s_v3", totalCoreHours: 8 },
      { poolId: "p", startTime: at(2), endTime: at(3), vmSize: "Standard_D4s_v3", totalCoreHours: 5 },
    ]);
  });

  it("answers the last complete interval without startTime and endTime, and honours endTime", () => {
    expect(poolUsageMetrics(lifetimes, {}, FAKE_CLOCK_START + 3.5 * HOUR).map((m) => [m.startTime, m.totalCoreHours])).toEqual([[at(2), 5]]);
    expect(poolUsageMetrics(lifetimes, { startTime: at(1), endTime: at(2) }, FAKE_CLOCK_START + 3.5 * HOUR).map((m) => m.startTime)).toEqual([at(1)]);
  });

  it("takes the cores from the size's name, 1 without a number", () => {
    expect([coresOf("Standard_D2s_v3"), coresOf("STANDARD_A8"), coresOf("Standard_NC24ads_A100_v4"), coresOf("standard_a1_v2"), coresOf("small")]).toEqual([
      2, 8, 24, 1, 1,
    ]);
  });
});

describe("GET /poolusagemetrics", () => {
  let bed: TestBed | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await bed?.close();
    bed = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it("reports the pools' node time through @azure/batch, with $filter and paging", async () => {
    bed = await TestBed.start({ server: true });
    const client: BatchServiceClient = await bed.client();
    await bed.addPool("p", { targetDedicatedNodes: 2 });
    await bed.addPool("q");
    await bed.clock.advance(2 * HOUR);
    await client.pool.deleteMethod("q");
    await waitFor(async () => !(await bed!.batch.pool.exists("q")), { what: "pool q to be gone" });
    await bed.clock.advance(HOUR);
    const metrics = await client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { startTime: new Date(FAKE_CLOCK_START) } });
    expect(metrics.map((m) => [m.poolId, m.startTime.toISOString(), m.vmSize, m.totalCoreHours])).toEqual([
      ["p", at(0), "standard_d2s_v3", 4],
      ["q", at(0), "standard_d2s_v3", 2],
      ["p", at(1), "standard_d2s_v3", 4],
      ["q", at(1), "standard_d2s_v3", 2],
      ["p", at(2), "standard_d2s_v3", 4],
    ]);
    const filtered = await client.pool.listUsageMetrics({ poolListUsageMetricsOptions: { startTime: new Date(FAKE_CLOCK_START), filter: "poolId eq 'q'" } });
    expect(filtered.map((m) => m.poolId)).toEqual(["q", "q"]);
    const fetch = signedFetcher(bed.account);
    const page = await fetch("/poolusagemetrics", { query: { starttime: at(0), maxresults: "2" } });
    expect(page.json.value).toHaveLength(2);
    expect(page.json["odata.nextLink"]).toContain("starttime=");
    const later = await fetch("/poolusagemetrics", { query: { starttime: at(0), $filter: `startTime ge datetime'${at(1)}' and poolId eq 'p'` } });
    expect(later.status, later.text).toBe(200);
    expect((later.json.value as { startTime: string }[]).map((m) => m.startTime)).toEqual([at(1), at(2)]);
    const bad = await fetch("/poolusagemetrics", { query: { starttime: "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("InvalidQueryParameterValue");
  });

  it("keeps the node lifetimes across a restart on the same data directory; the time it was down is no node time", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "malachite-usage-"));
    const first = await startOn(dataDir);
    await first.backend.batch.pool.add({ id: "p", vmSize: "Standard_F4", targetDedicatedNodes: 1 });
    await waitFor(async () => (await first.backend.batch.computeNode.list("p"))[0]?.state === "idle", { what: "an idle node" });
    await first.clock.advance(HOUR / 2);
    await first.backend.close();
    const second = await startOn(dataDir, new FakeClock(FAKE_CLOCK_START + 1.5 * HOUR));
    try {
      await waitFor(async () => (await second.backend.batch.computeNode.list("p"))[0]?.state === "idle", { what: "the node back" });
      await second.clock.advance(HOUR);
      const metrics = await second.backend.batch.pool.listUsageMetrics({ startTime: at(0) });
      expect(metrics.map((m) => [m.startTime, m.totalCoreHours])).toEqual([
        [at(0), 2],
        [at(1), 2],
      ]);
    } finally {
      await second.backend.close();
    }
  });
});
