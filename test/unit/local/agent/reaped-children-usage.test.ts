/**
 * The node agent's reading of what its reaped children used (/proc/self/stat's cutime and
 * cstime, /proc/self/io), and each run's share of it: the delta since the previous exit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ReapedUsageLedger, readReapedChildrenUsage, type UsageReading } from "../../../../src/backends/local/agent/reaped-children-usage.js";

let dir: string | undefined;

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A fake /proc/<pid> with this stat line and io file. */
function procDir(stat: string, io: string): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "malachite-proc-"));
  fs.writeFileSync(path.join(dir, "stat"), stat);
  fs.writeFileSync(path.join(dir, "io"), io);
  return dir;
}

const reading = (userCpuMs: number, writeBytes: number): UsageReading => ({ userCpuMs, kernelCpuMs: 0, readBytes: 0, writeBytes, readOps: 0, writeOps: 0 });

describe("readReapedChildrenUsage", () => {
  it("reads cutime and cstime in clock ticks after the command name, whatever it holds, and the I/O counters", () => {
    // Fields 3..17: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime.
    const stat = "42 (node (agent) x) S 1 42 42 0 -1 4194560 100 200 0 0 7 3 250 40 20 0 11 0\n";
    const io = "rchar: 9\nwchar: 8\nsyscr: 12\nsyscw: 34\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n";
    expect(readReapedChildrenUsage(procDir(stat, io))).toEqual({
      userCpuMs: 2500,
      kernelCpuMs: 400,
      readBytes: 4096,
      writeBytes: 8192,
      readOps: 12,
      writeOps: 34,
    });
  });

  it("answers nothing where /proc does not tell", () => {
    expect(readReapedChildrenUsage(path.join(os.tmpdir(), "no-such-proc-dir"))).toBeUndefined();
  });
});

describe("ReapedUsageLedger", () => {
  it("gives each exit the use since the previous one", () => {
    const readings = [reading(100, 0), reading(350, 4096), reading(350, 4096), reading(1000, 10_000)];
    const ledger = new ReapedUsageLedger(() => readings.shift());
    expect(ledger.take()).toMatchObject({ userCpuMs: 250, writeBytes: 4096 });
    expect(ledger.take()).toMatchObject({ userCpuMs: 0, writeBytes: 0 });
    expect(ledger.take()).toMatchObject({ userCpuMs: 650, writeBytes: 5904 });
    expect(ledger.take()).toEqual({});
  });
});
