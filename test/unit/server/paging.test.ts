import { describe, expect, it } from "vitest";
import type { BatchError } from "../../../src/core/batch-error.js";
import { compileFilter } from "../../../src/server/protocol/odata-filter.js";
import { decodeSkipToken, encodeSkipToken, nextLinkFor, pageOf, parsePageRequest, type Page, type PageRequest } from "../../../src/server/protocol/paging.js";
import { errorOf } from "../../support/error-of.js";

function expectInvalidParameter(fn: () => unknown, name: string): BatchError {
  const error = errorOf(fn);
  expect(error.statusCode).toBe(400);
  expect(error.code).toBe("InvalidQueryParameterValue");
  expect(error.values).toContainEqual({ key: "QueryParameterName", value: name });
  expect(error.values.find((v) => v.key === "Reason")?.value).toBeTruthy();
  return error;
}

const BASE = "https://acct.region.batch.azure.com";
const items = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);

/** Follows nextLinks the way an SDK does, parsing each link as the server would. */
function pageThrough<T>(all: readonly T[], firstUrl: string): { pages: T[][]; links: string[] } {
  const pages: T[][] = [];
  const links: string[] = [];
  let url: string | undefined = firstUrl;
  while (url !== undefined) {
    const requestUrl: URL = new URL(url);
    const page: Page<T> = pageOf(all, parsePageRequest(requestUrl.searchParams), (token) => nextLinkFor(requestUrl, token));
    pages.push(page.value);
    url = page["odata.nextLink"];
    if (url !== undefined) links.push(url);
    if (pages.length > 100) throw new Error("paging does not end");
  }
  return { pages, links };
}

describe("parsePageRequest", () => {
  it("defaults to 1000 results from the start", () => {
    expect(parsePageRequest(new URLSearchParams("api-version=2024-07-01.20.0"))).toEqual({ maxResults: 1000, skip: 0 });
  });

  it("reads maxresults from 1 to 1000", () => {
    expect(parsePageRequest(new URLSearchParams("maxresults=1")).maxResults).toBe(1);
    expect(parsePageRequest(new URLSearchParams("maxresults=250")).maxResults).toBe(250);
    expect(parsePageRequest(new URLSearchParams("maxresults=1000")).maxResults).toBe(1000);
    expect(parsePageRequest(new URLSearchParams("maxresults=2&maxresults=5")).maxResults).toBe(2);
  });

  it("rejects bad maxresults", () => {
    for (const bad of ["0", "1001", "abc", "", "-1", "1.5", "10abc", "1e3", "99999999999999999999"]) {
      const error = expectInvalidParameter(() => parsePageRequest(new URLSearchParams({ maxresults: bad })), "maxresults");
      expect(error.values).toContainEqual({ key: "QueryParameterValue", value: bad });
    }
  });

  it("treats parameter names case-sensitively", () => {
    expect(parsePageRequest(new URLSearchParams("MaxResults=0")).maxResults).toBe(1000);
  });

  it("decodes a skip token it issued", () => {
    expect(parsePageRequest(new URLSearchParams({ $skiptoken: encodeSkipToken(2000), maxresults: "10" }))).toEqual({ maxResults: 10, skip: 2000 });
  });

  it("rejects forged and garbage skip tokens", () => {
    const genuine = encodeSkipToken(10);
    const forgedOffset = Buffer.from(Buffer.from(genuine, "base64url").toString("utf8").replace(".10.", ".20."), "utf8").toString("base64url");
    const flipped = genuine.slice(0, -1) + (genuine.endsWith("A") ? "B" : "A");
    for (const bad of [
      "",
      "10",
      "abc",
      Buffer.from("10").toString("base64url"),
      Buffer.from("v1.10").toString("base64url"),
      forgedOffset,
      flipped,
      `${genuine}=`,
      "x".repeat(500),
      "../../etc/passwd",
    ]) {
      const error = expectInvalidParameter(() => parsePageRequest(new URLSearchParams({ $skiptoken: bad })), "$skiptoken");
      expect(error.values.find((v) => v.key === "QueryParameterValue")!.value.length).toBeLessThanOrEqual(129);
    }
  });
});

describe("skip tokens", () => {
  it("round-trip and are opaque", () => {
    for (const offset of [0, 1, 1000, 123_456_789, Number.MAX_SAFE_INTEGER]) {
      const token = encodeSkipToken(offset);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token).not.toBe(String(offset));
      expect(token.length).toBeGreaterThan(16);
      expect(decodeSkipToken(token)).toBe(offset);
    }
    expect(encodeSkipToken(5)).toBe(encodeSkipToken(5)); // stable: survives an emulator restart
    expect(() => encodeSkipToken(-1)).toThrow(RangeError);
    expect(() => encodeSkipToken(1.5)).toThrow(RangeError);
  });
});

describe("pageOf", () => {
  const request = (maxResults: number, skip = 0): PageRequest => ({ maxResults, skip });
  const link = (token: string) => `${BASE}/jobs?$skiptoken=${token}`;

  it("returns an empty page for an empty list", () => {
    expect(pageOf([], request(10), link)).toEqual({ value: [] });
  });

  it("returns one item without a nextLink", () => {
    expect(pageOf(["a"], request(10), link)).toEqual({ value: ["a"] });
  });

  it("has no nextLink when the list is exactly one page", () => {
    const page = pageOf(items(10), request(10), link);
    expect(page.value).toHaveLength(10);
    expect(page["odata.nextLink"]).toBeUndefined();
  });

  it("links to the rest when there is more", () => {
    const first = pageOf(items(11), request(10), link);
    expect(first.value).toEqual(items(10));
    const token = new URL(first["odata.nextLink"]!).searchParams.get("$skiptoken")!;
    expect(decodeSkipToken(token)).toBe(10);
    expect(pageOf(items(11), request(10, 10), link)).toEqual({ value: ["item-10"] });
  });

  it("pages through 2.5 pages", () => {
    const all = items(25);
    const first = pageOf(all, request(10), link);
    const second = pageOf(all, request(10, decodeSkipToken(new URL(first["odata.nextLink"]!).searchParams.get("$skiptoken")!)), link);
    const third = pageOf(all, request(10, decodeSkipToken(new URL(second["odata.nextLink"]!).searchParams.get("$skiptoken")!)), link);
    expect(first.value).toEqual(all.slice(0, 10));
    expect(second.value).toEqual(all.slice(10, 20));
    expect(third.value).toEqual(all.slice(20));
    expect(third["odata.nextLink"]).toBeUndefined();
  });

  it("gives an empty last page when the list shrank", () => {
    expect(pageOf(items(3), request(10, 20), link)).toEqual({ value: [] });
  });

  it("does not mutate or alias the input", () => {
    const all = items(5);
    const page = pageOf(all, request(10), link);
    page.value.push("extra");
    expect(all).toHaveLength(5);
  });
});

describe("nextLinkFor", () => {
  it("is absolute and keeps every query parameter", () => {
    const url = new URL(`${BASE}/jobs/j1/tasks?api-version=2024-07-01.20.0&maxresults=10&timeout=30&$select=id,state`);
    const next = new URL(nextLinkFor(url, "TOKEN"));
    expect(next.origin).toBe(BASE);
    expect(next.pathname).toBe("/jobs/j1/tasks");
    expect(next.searchParams.get("api-version")).toBe("2024-07-01.20.0");
    expect(next.searchParams.get("maxresults")).toBe("10");
    expect(next.searchParams.get("timeout")).toBe("30");
    expect(next.searchParams.get("$select")).toBe("id,state");
    expect(next.searchParams.get("$skiptoken")).toBe("TOKEN");
  });

  it("keeps a $filter exactly, whatever its encoding", () => {
    const filter = "state eq 'completed' and executionInfo/result eq 'failure' and displayName eq 'a&b=c+d%'";
    const encodings = [
      `$filter=${encodeURIComponent(filter)}`, // JS SDKs
      new URLSearchParams({ $filter: filter }).toString(), // '+' for spaces, %24 for '$'
      `%24filter=${encodeURIComponent(filter).replace(/%20/g, "+")}`,
    ];
    for (const encoded of encodings) {
      const url = new URL(`${BASE}/jobs/j/tasks?api-version=2024-07-01.20.0&${encoded}`);
      expect(url.searchParams.get("$filter")).toBe(filter);
      const next = new URL(nextLinkFor(url, encodeSkipToken(5)));
      expect(next.searchParams.get("$filter")).toBe(filter);
      expect(next.searchParams.get("api-version")).toBe("2024-07-01.20.0");
      expect(parsePageRequest(next.searchParams).skip).toBe(5);
      expect(compileFilter(next.searchParams.get("$filter")!)({ state: "completed", executionInfo: { result: "failure" }, displayName: "a&b=c+d%" })).toBe(
        true,
      );
    }
  });

  it("replaces an existing $skiptoken, in either spelling", () => {
    const url = new URL(`${BASE}/pools?$skiptoken=OLD&api-version=1&%24skiptoken=OLDER&maxresults=2`);
    const next = new URL(nextLinkFor(url, "NEW"));
    expect(next.searchParams.getAll("$skiptoken")).toEqual(["NEW"]);
    expect([...next.searchParams.keys()]).toEqual(["api-version", "maxresults", "$skiptoken"]);
  });

  it("drops the fragment and keeps the port", () => {
    const next = nextLinkFor(new URL("http://127.0.0.1:8080/jobs?api-version=1#frag"), "T");
    expect(next).toBe("http://127.0.0.1:8080/jobs?api-version=1&$skiptoken=T");
  });

  it("copes with a client re-appending api-version to the nextLink", () => {
    // Python track-1 requests the nextLink as-is and may add api-version again.
    let url = new URL(`${BASE}/jobs?api-version=2024-07-01.20.0&maxresults=1`);
    for (let page = 0; page < 5; page++) {
      const next = nextLinkFor(url, encodeSkipToken(page + 1));
      url = new URL(`${next}&api-version=2024-07-01.20.0`);
      expect(url.searchParams.get("api-version")).toBe("2024-07-01.20.0");
    }
    expect(url.searchParams.getAll("api-version")).toEqual(["2024-07-01.20.0", "2024-07-01.20.0"]); // does not grow
    expect(parsePageRequest(url.searchParams)).toEqual({ maxResults: 1, skip: 5 });
  });

  it("pages a whole list through the links it builds", () => {
    const all = items(25);
    const { pages, links } = pageThrough(all, `${BASE}/jobs?api-version=2024-07-01.20.0&maxresults=10&$filter=${encodeURIComponent("state eq 'active'")}`);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(all);
    expect(links).toHaveLength(2);
    for (const link of links) {
      const url = new URL(link);
      expect(url.searchParams.get("api-version")).toBe("2024-07-01.20.0");
      expect(url.searchParams.get("$filter")).toBe("state eq 'active'");
      expect(url.searchParams.getAll("$skiptoken")).toHaveLength(1);
    }
    expect(pageThrough(items(0), `${BASE}/jobs?api-version=1`).pages).toEqual([[]]);
    expect(pageThrough(items(1000), `${BASE}/jobs?api-version=1`).pages).toHaveLength(1);
    expect(pageThrough(items(1001), `${BASE}/jobs?api-version=1`).pages.map((p) => p.length)).toEqual([1000, 1]);
  });
});
