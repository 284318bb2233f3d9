/**
 * Pool update, usage metrics and applications through the Python SDK (Debian's python3-azure,
 * azure-batch 13.0.1) against the in-process server: test/clients/python/pool_update_applications.py.
 */
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithPython, pythonClientScript } from "../../support/describe-with-python.js";
import { runPythonSummary } from "../../support/python-client.js";
import { TestBed } from "../../support/test-bed.js";
import { writeZip } from "../../support/zip-file.js";

const SCRIPT = pythonClientScript("pool_update_applications.py");

describeWithPython("pool update and applications through the Python SDK", () => {
  let bed: TestBed;

  beforeAll(async () => {
    bed = await TestBed.start({ server: true });
    const zip = await writeZip(path.join(bed.dataDir, "tool.zip"), [{ name: "tool.sh", content: "#!/bin/sh\n", mode: 0o100755 }]);
    await bed.batch.application.add("tool", "1.0", zip, { makeDefault: true });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it("patch, update_properties, list_usage_metrics, application list and get", { timeout: 120_000 }, async () => {
    const summary = await runPythonSummary<Record<string, unknown>>(SCRIPT, bed.account);
    expect(summary).toEqual({
      patched: { metadata: [["team", "b"]], startTask: "echo first", packages: [["tool", null]] },
      replaced: { metadata: [["x", "1"]], startTask: null, packages: [] },
      applications: [["tool", "tool", ["1.0"]]],
      tool: ["tool", ["1.0"]],
      usageMetrics: [],
      errors: { missingApplication: [404, "ApplicationNotFound"], missingPackage: [409, "InvalidApplicationPackageReferences"] },
    });
  });
});
