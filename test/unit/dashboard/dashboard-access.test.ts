import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { afterEach, describe, expect, it } from "vitest";
import type { MalachiteConfig } from "../../../src/core/config/index.js";
import { isLoopback } from "../../../src/dashboard/dashboard-access.js";
import { DashboardServer } from "../../../src/dashboard/dashboard-server.js";
import { serveEmulator, type RunningMalachite } from "../../../src/serve-emulator.js";
import { DEV_BATCH_ACCOUNT_KEY } from "../../../src/server/dev-account.js";
import { TestBed } from "../../support/test-bed.js";
import { stubLocalDependencies } from "../cli/stub-local-dependencies.js";
import { builtDashboard } from "./dashboard-bundle.js";
import { EventStreamClient } from "./event-stream-client.js";

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function localConfig(): MalachiteConfig {
  return { backend: "local", local: { dataDir: mkdtempSync(path.join(os.tmpdir(), "malachite-dashboard-")), azurite: { port: 0 }, inMemory: true }, azure: {} };
}

async function serve(host: string): Promise<RunningMalachite> {
  const malachite = await serveEmulator(localConfig(), { host, port: 0, authentication: true }, { local: stubLocalDependencies() });
  closers.push(() => malachite.close());
  return malachite;
}

/** The endpoint's URL on loopback, whatever address it listens on. */
function onLoopback(url: string): string {
  return url.replace("0.0.0.0", "127.0.0.1");
}

describe("the dashboard in malachite serve", () => {
  it("is the root page on loopback, beside the Batch API, which still authenticates every request", async () => {
    const malachite = await serve("127.0.0.1");
    expect(malachite.dashboardUrl).toBe(`${malachite.batchUrl}/`);
    const page = await fetch(malachite.dashboardUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/dashboard/assets/app.js"></script>');
    expect(html).not.toContain(DEV_BATCH_ACCOUNT_KEY);
    expect(await (await fetch(`${malachite.batchUrl}/dashboard/api/views/overview`)).json()).toEqual({ pools: {}, jobs: {} });

    const client = new BatchServiceClient(new BatchSharedKeyCredentials(malachite.batchAccountName, malachite.batchAccountKey), malachite.batchUrl);
    await client.job.add({ id: "j", poolInfo: { poolId: "p" } });
    const overview = (await (await fetch(`${malachite.batchUrl}/dashboard/api/views/overview`)).json()) as { jobs: Record<string, unknown> };
    expect(Object.keys(overview.jobs)).toEqual(["j"]);
    const unsigned = await fetch(`${malachite.batchUrl}/jobs?api-version=2024-07-01.20.0`);
    expect(unsigned.status).toBe(403);
    expect(((await unsigned.json()) as { code: string }).code).toBe("AuthenticationFailed");
  });

  it("off loopback, prints a URL with a sign-in token and takes the account key at the sign-in form", async () => {
    const malachite = await serve("0.0.0.0");
    const token = new URL(malachite.dashboardUrl).searchParams.get("token");
    expect(token).toMatch(/^[\w-]{20,}$/);
    const root = onLoopback(malachite.batchUrl);
    expect((await fetch(`${root}/`)).status).toBe(401);
    const signIn = await fetch(`${root}/dashboard/sign-in`, {
      method: "POST",
      body: new URLSearchParams({ secret: DEV_BATCH_ACCOUNT_KEY }),
      redirect: "manual",
    });
    expect(signIn.status).toBe(303);
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    expect(cookie).not.toContain(encodeURIComponent(DEV_BATCH_ACCOUNT_KEY));
    const page = await fetch(`${root}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(DEV_BATCH_ACCOUNT_KEY);
  });
});

describe("dashboard access off loopback", () => {
  async function listen(): Promise<{ server: DashboardServer; root: string; token: string }> {
    const bed = await TestBed.start();
    closers.push(() => bed.close());
    const server = await DashboardServer.listen(bed.batch, { host: "0.0.0.0", port: 0, accountKey: "the-account-key", assetsDir: await builtDashboard() });
    closers.push(() => server.close());
    const token = new URL(server.openUrl).searchParams.get("token") ?? "";
    return { server, root: onLoopback(server.url), token };
  }

  it("asks for a sign-in before the page, the views and the live events", async () => {
    const { root } = await listen();
    const page = await fetch(`${root}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('<form method="post" action="/dashboard/sign-in">');
    const api = await fetch(`${root}/dashboard/api/views/overview`);
    expect([api.status, ((await api.json()) as { code: string }).code]).toEqual([401, "SignInRequired"]);
    const events = await EventStreamClient.open(`${root}/dashboard/api/events/overview`);
    expect([events.status, events.closed]).toEqual([401, true]);
    expect((await fetch(`${root}/dashboard/api/files/pools/p/nodes/n`)).status).toBe(401);
  });

  it("lets in the start-up token's URL, then the browser by an HttpOnly cookie, and the address bar loses the token", async () => {
    const { root, token } = await listen();
    expect((await fetch(`${root}/?token=wrong`, { redirect: "manual" })).status).toBe(401);
    const opened = await fetch(`${root}/?token=${token}`, { redirect: "manual" });
    expect([opened.status, opened.headers.get("location")]).toEqual([303, "/"]);
    const setCookie = opened.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(";")[0] ?? "";
    expect((await fetch(`${root}/`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${root}/dashboard/api/views/overview`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${root}/`, { headers: { cookie: "malachite-dashboard=guess" } })).status).toBe(401);
  });

  it("takes the account key or the token at the sign-in form, and refuses anything else", async () => {
    const { root, token } = await listen();
    const post = (secret: string) => fetch(`${root}/dashboard/sign-in`, { method: "POST", body: new URLSearchParams({ secret }), redirect: "manual" });
    expect((await post("the-account-key")).status).toBe(303);
    expect((await post(token)).status).toBe(303);
    const refused = await post("not-it");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("set-cookie")).toBeNull();
    expect(await refused.text()).toContain("neither the account key nor the token");
  });

  it("never puts the key or the token in what the page is made of", async () => {
    const { root, token } = await listen();
    for (const path of ["/", "/dashboard/assets/app.js", "/dashboard/assets/app.css"]) {
      const text = await (await fetch(`${root}${path}`)).text();
      expect(text).not.toContain("the-account-key");
      expect(text).not.toContain(token);
    }
    expect((await fetch(`${root}/dashboard/assets/app.js`)).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await fetch(`${root}/dashboard/assets/../../package.json`)).status).toBe(404);
  });

  it("is open on loopback addresses only", () => {
    expect(["127.0.0.1", "127.1.2.3", "localhost", "::1"].every(isLoopback)).toBe(true);
    expect(["0.0.0.0", "10.0.0.4", "::", "192.168.1.2", "example.com"].some(isLoopback)).toBe(false);
  });
});
