import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The project this run was asked for (`--project unit`), or `all`. */
function projectRun(): string {
  const index = process.argv.indexOf("--project");
  return index >= 0 ? (process.argv[index + 1] ?? "all") : "all";
}

export default defineConfig({
  test: {
    // In CI a JSON report is written too (one per project run), so .ci/run can print a plain
    // "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: `.test-results-${projectRun()}.json` }]] : ["default"],
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        // The examples import the package by name (as a user's suite does): run them against the source.
        resolve: { alias: { malachite: fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "examples/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
