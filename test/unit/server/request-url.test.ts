import { describe, expect, it } from "vitest";
import { requestUrl } from "../../../src/server/http/request-url.js";
import { errorOf } from "../../support/error-of.js";

const ORIGIN = "http://127.0.0.1:10100";

describe("requestUrl", () => {
  it("puts an origin-form target on the server's origin", () => {
    const url = requestUrl("/pools?api-version=2024-07-01.20.0&$filter=state%20eq%20'active'", ORIGIN);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname).toBe("/pools");
    expect(url.searchParams.get("$filter")).toBe("state eq 'active'");
  });

  it("keeps a target that looks like a host (//other/x) a path, even when that host would not parse", () => {
    for (const target of ["//evil.example/pools", "//%zz//", "//[::1/x"]) {
      const url = requestUrl(target, ORIGIN);
      expect(url.origin).toBe(ORIGIN);
      expect(url.pathname.startsWith("//")).toBe(true);
    }
  });

  it("takes the path and query of an absolute-form target, on the server's origin", () => {
    const url = requestUrl("http://other.example:1/jobs?api-version=x", ORIGIN);
    expect(url.href).toBe(`${ORIGIN}/jobs?api-version=x`);
  });

  it("refuses what is not a URL with 400 RequestUrlFailedToParse", () => {
    for (const target of ["*", "pools", "ftp://x/y", "http://[bad"]) {
      const error = errorOf(() => requestUrl(target, ORIGIN));
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe("RequestUrlFailedToParse");
    }
  });
});
