import { existsSync, statSync } from "node:fs";
import { EarlyBlobService } from "../backends/local/azurite/early-blob-service.js";
import type { Composition } from "../composition-root.js";
import { ConfigError, loadConfig, TUTORIAL_DEFAULTS } from "../core/config/index.js";
import { runTutorial } from "../workflow/tutorial-workflow.js";
import { sampleInputs, taskProgramPath } from "../workflow/package-paths.js";
import { parseTutorialArgs } from "./parse-tutorial-args.js";
import { ShutdownGuard } from "./shutdown-guard.js";
import { terminalTaskProgress } from "./task-progress.js";

/** `malachite tutorial`: the top-N words tutorial on the configured backend. Returns the exit code. */
export async function tutorialCommand(argv: string[]): Promise<number> {
  const args = parseTutorialArgs(argv);
  const config = loadConfig(args.flags, process.env, process.cwd(), TUTORIAL_DEFAULTS);
  const inputFiles = args.inputFiles ?? sampleInputs();
  for (const file of inputFiles) {
    if (!existsSync(file) || !statSync(file).isFile()) throw new ConfigError(`input file not found: ${file}`);
  }
  const guard = new ShutdownGuard();
  // Azurite starts while the backend's code loads (see EarlyBlobService).
  const early = config.backend === "local" ? EarlyBlobService.startFor(config.local) : undefined;
  let composition: Composition;
  try {
    const { compose } = await import("../composition-root.js");
    composition = await compose(config, early ? { local: { startBlobService: early.claim } } : {});
  } catch (error) {
    await early?.release();
    guard.dispose();
    throw error;
  }
  try {
    if (guard.interrupted) return 130;
    const result = await runTutorial(composition.backend, {
      inputFiles,
      taskProgram: taskProgramPath(),
      numWords: args.numWords,
      nodes: args.nodes,
      outputDir: args.outputDir,
      cleanup: args.cleanup,
      poolId: "MalachiteTutorialPool",
      jobId: "MalachiteTutorialJob",
      timeoutMs: args.timeoutMs,
      pollMs: args.pollMs,
      write: (text) => process.stdout.write(text),
      input: process.stdin,
      signal: guard.controller.signal,
      progress: terminalTaskProgress(process.stdout),
    });
    return result.failedTasks.length > 0 ? 1 : 0;
  } catch (error) {
    if (guard.interrupted) return 130;
    throw error;
  } finally {
    await composition.dispose();
    guard.dispose();
  }
}
