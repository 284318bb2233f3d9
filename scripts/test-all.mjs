// `npm test`: the Docker-free suite and the integration suite side by side. The Docker-free one
// runs without per-file isolation (see README, Development), which vitest only takes for a whole
// run, so the two are separate runs; the integration one mostly waits on Docker, so overlapping
// them saves the Docker-free suite's time. Its output is printed whole when it ends, so the two
// never interleave.
import { spawn } from "node:child_process";

const vitest = ["node_modules/vitest/vitest.mjs", "run"];

function run(args, env, buffered) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...vitest, ...args], { env: { ...process.env, ...env }, stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit" });
    const chunks = [];
    if (buffered) {
      child.stdout.on("data", (chunk) => chunks.push(chunk));
      child.stderr.on("data", (chunk) => chunks.push(chunk));
    }
    child.on("close", (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks) }));
  });
}

const unit = run(["--project", "unit", "--no-isolate"], { DOCKER_HOST: "unix:///nonexistent" }, true).then((result) => {
  process.stdout.write(`\n=== Docker-free suite (npm run test:unit) ===\n${result.output}\n`);
  return result.code;
});
const integration = run(["--project", "integration"], {}, false).then((result) => result.code);
const codes = await Promise.all([unit, integration]);
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
