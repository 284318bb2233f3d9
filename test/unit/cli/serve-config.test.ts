import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serveConfig } from "../../../src/cli/serve-config.js";
import { ConfigError } from "../../../src/core/config/index.js";

function workingDirectory(file?: object): string {
  const cwd = mkdtempSync(path.join(os.tmpdir(), "malachite-serve-config-"));
  if (file) writeFileSync(path.join(cwd, "malachite.config.json"), JSON.stringify(file));
  return cwd;
}

describe("malachite serve's arguments", () => {
  it("default to the Batch endpoint on 127.0.0.1:10100 with SharedKey checks, Azurite on 10000", () => {
    const cwd = workingDirectory();
    const { config, endpoint } = serveConfig(["--data-dir", "nodes"], {}, cwd);
    expect(endpoint).toEqual({ host: "127.0.0.1", port: 10100, authentication: true, dashboardActions: false });
    expect(config.local.azurite).toEqual({ port: 10000, location: path.join(cwd, "nodes", "blobs") });
  });

  it("keep the whole account under --data-dir DIR: the Batch state durable, blobs in DIR/blobs", () => {
    const cwd = workingDirectory();
    expect(serveConfig(["--data-dir", "account"], {}, cwd).config.local).toEqual({
      dataDir: path.join(cwd, "account"),
      inMemory: false,
      azurite: { port: 10000, location: path.join(cwd, "account", "blobs") },
    });
    expect(serveConfig(["--data-dir", "account", "--blob-location", "blobs"], {}, cwd).config.local.azurite.location).toBe(path.join(cwd, "blobs"));
  });

  it("keep state and blobs in memory with --in-memory, unless --blob-location puts the blobs on disk", () => {
    const cwd = workingDirectory();
    expect(serveConfig(["--data-dir", "account", "--in-memory"], {}, cwd).config.local).toEqual({
      dataDir: path.join(cwd, "account"),
      inMemory: true,
      azurite: { port: 10000, location: undefined },
    });
    expect(serveConfig(["--in-memory", "--blob-location", "blobs", "--data-dir", "account"], {}, cwd).config.local).toMatchObject({
      inMemory: true,
      azurite: { location: path.join(cwd, "blobs") },
    });
    expect(() => serveConfig(["--in-memory=no"], {}, cwd)).toThrow(/--in-memory/);
  });

  it("take the endpoint's own flags: --host, --port, --no-auth", () => {
    const { endpoint } = serveConfig(["--host", "0.0.0.0", "--port", "0", "--no-auth", "--data-dir", "nodes"], {}, workingDirectory());
    expect(endpoint).toEqual({ host: "0.0.0.0", port: 0, authentication: false, dashboardActions: false });
  });

  it("read --config FILE for every setting of the local backend", () => {
    const cwd = workingDirectory();
    const file = path.join(cwd, "serve.json");
    writeFileSync(file, JSON.stringify({ local: { dataDir: "nodes", baseImage: "my/base:1", azurite: { port: 0, location: "blobs" } } }));
    expect(serveConfig(["--config", file], {}, cwd).config.local).toEqual({
      dataDir: path.join(cwd, "nodes"),
      baseImage: "my/base:1",
      inMemory: false,
      azurite: { port: 0, location: path.join(cwd, "blobs") },
    });
    writeFileSync(file, JSON.stringify({ local: { dataDir: "nodes", inMemory: true } }));
    expect(serveConfig(["--config", file], {}, cwd).config.local).toMatchObject({ inMemory: true, azurite: { location: undefined } });
  });

  it("always serve the local backend: a backend from the environment or the config file is the tutorial's", () => {
    const cwd = workingDirectory({ backend: "azure" });
    expect(serveConfig(["--data-dir", "nodes"], { MALACHITE_BACKEND: "azure" }, cwd).config.backend).toBe("local");
    expect(serveConfig(["--backend", "local", "--data-dir", "nodes"], {}, cwd).config.backend).toBe("local");
  });

  it("refuse --backend azure with a ConfigError", () => {
    const serve = () => serveConfig(["--backend", "azure"], {}, workingDirectory());
    expect(serve).toThrow(ConfigError);
    expect(serve).toThrow("malachite serve emulates Azure Batch with the local backend; it cannot serve --backend azure");
  });

  it("refuse a bad port, a missing config file and unknown options clearly", () => {
    const cwd = workingDirectory();
    expect(() => serveConfig(["--port", "x"], {}, cwd)).toThrow("--port must be a port number, not 'x'");
    expect(() => serveConfig(["--blob-port", "70000"], {}, cwd)).toThrow(/invalid Azurite port '70000' \(--blob-port\)/);
    expect(() => serveConfig(["--config", path.join(cwd, "missing.json")], {}, cwd)).toThrow(/config file not found/);
    expect(() => serveConfig(["--numwords", "3"], {}, cwd)).toThrow(/Unknown option '--numwords'/);
  });
});
