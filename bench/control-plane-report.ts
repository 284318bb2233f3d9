import { controlPlane } from "./control-plane.js";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000").split(",").map(Number);

/** Prints the control-plane figures (issue 12's targets in brackets), next to one REST round trip measured in the same run. */
export async function printControlPlane(write: (line: string) => void): Promise<void> {
  const figures = await controlPlane(SIZES);
  write(`control plane, JS SDK against the in-process server: floor = pool.get round trip ${figures.roundTripMs.toFixed(2)} ms (median)\n`);
  const first = figures.sizes[0];
  for (const size of figures.sizes) {
    const perTaskUs = (size.addMs * 1000) / size.tasks;
    const ratio = first ? perTaskUs / ((first.addMs * 1000) / first.tasks) : 1;
    write(
      `  ${String(size.tasks).padStart(6)} tasks: added ${(size.addMs / 1000).toFixed(2)} s (${perTaskUs.toFixed(0)} µs per task, ${ratio.toFixed(2)}x the first size) [100k ≤ 15 s, ≤ 1.2x]; ` +
        `listed in pages of 1000 ${(size.listMs / 1000).toFixed(2)} s [100k ≤ 8 s]\n`,
    );
    write(
      `          getTaskCounts ${size.countsMs.toFixed(2)} ms [≤ 5 ms]; $filter=state eq 'running' page ${size.runningPageMs.toFixed(2)} ms [≤ 20 ms]; ` +
        `$filter=state eq 'active' page of 100 ${size.activePageMs.toFixed(2)} ms\n`,
    );
  }
  write(`  a ${figures.pagesOf100.tasks}-task job read in pages of 100: ${(figures.pagesOf100.ms / 1000).toFixed(2)} s [10,000 ≤ 1 s]\n`);
  write(`  resident memory with all these tasks (emulator, server and client in one process): ${figures.rssMb.toFixed(0)} MB [≤ 1 GB]\n`);
}
