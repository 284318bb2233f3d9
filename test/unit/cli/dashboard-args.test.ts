import { describe, expect, it } from "vitest";
import { DASHBOARD_PORT, parseDashboardArgs } from "../../../src/cli/dashboard-command.js";
import { ConfigError } from "../../../src/core/config/index.js";

describe("malachite dashboard's arguments", () => {
  it("listens on loopback at its own port by default, over the backend the configuration names", () => {
    expect(parseDashboardArgs([])).toEqual({ flags: expect.objectContaining({ backend: undefined }), host: "127.0.0.1", port: DASHBOARD_PORT, actions: false });
  });

  it("takes the host, the port and the configuration flags every backend command takes", () => {
    const args = parseDashboardArgs(["--host", "0.0.0.0", "--port", "0", "--backend", "azure", "--config", "c.json"]);
    expect(args).toMatchObject({ host: "0.0.0.0", port: 0, flags: { backend: "azure", config: "c.json" } });
  });

  it("refuses a port that is not one, and unknown flags", () => {
    for (const port of ["", "x", "70000", "1.5"]) expect(() => parseDashboardArgs(["--port", port])).toThrow(ConfigError);
    expect(() => parseDashboardArgs(["--verbose"])).toThrow(/Unknown option/);
  });
});
