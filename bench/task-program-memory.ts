import { spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";

/** A file of `megabytes` MB drawn from a fixed vocabulary, so only the size changes between runs. */
async function writeInput(file: string, megabytes: number): Promise<void> {
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `word${i}`);
  const out = createWriteStream(file);
  let seed = 42;
  const line = () =>
    Array.from({ length: 12 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return vocabulary[seed % vocabulary.length];
    }).join(" ") + ".\n";
  let written = 0;
  while (written < megabytes * 2 ** 20) {
    const chunk = Array.from({ length: 1000 }, line).join("");
    written += chunk.length;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Runs the bundled task program on one input against a loopback blob server; peak RSS in MB and seconds. */
async function run(bundle: string, input: string, blobEndpoint: string): Promise<{ peakMb: number; seconds: number }> {
  const dir = path.dirname(input);
  const probe = path.join(dir, "peak-rss.cjs");
  writeFileSync(probe, `process.on("exit", () => require("fs").writeSync(2, "PEAK_RSS " + process.resourceUsage().maxRSS + "\\n"));`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "-r",
      probe,
      bundle,
      "--filepath",
      path.basename(input),
      "--numwords",
      "10",
      "--storageaccount",
      "bench",
      "--storagecontainer",
      "out",
      "--sastoken",
      "sig=bench",
      "--blobendpoint",
      blobEndpoint,
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "close")) as [number];
  if (code !== 0) throw new Error(`task program exited ${code}: ${stderr}`);
  const kb = Number(/PEAK_RSS (\d+)/.exec(stderr)?.[1]);
  return { peakMb: kb / 1024, seconds: (performance.now() - started) / 1000 };
}

/** Peak memory of the task program on a small and a large input with the same vocabulary. */
export async function taskProgramMemory(bundle: string, smallMb: number, largeMb: number) {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(201).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), "malachite-bench-task-"));
    const small = path.join(dir, "small.txt");
    const large = path.join(dir, "large.txt");
    await writeInput(small, smallMb);
    await writeInput(large, largeMb);
    return { small: await run(bundle, small, endpoint), large: await run(bundle, large, endpoint) };
  } finally {
    server.close();
  }
}
