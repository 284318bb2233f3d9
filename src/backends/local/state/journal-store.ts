import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../../../core/config/config.js";
import { createLogger } from "../../../core/logger.js";
import { isProcessAlive } from "../process-alive.js";
import { BatchState } from "./batch-state.js";
import { OWNER_HEARTBEAT_MS, OWNER_PID_FILE } from "./data-dir-owner.js";
import { jobNodeKey, type JobNodeRecord } from "./job-node-state.js";
import { persist, type JournalEntry } from "./persisted-records.js";
import type { JobRecord, JobScheduleRecord, NodeRecord, PoolRecord, TaskRecord } from "./records.js";
import type { StoredRecord } from "./store.js";

const log = createLogger("malachite:state");

/** The journal is rewritten as a snapshot when it holds this many times more lines than records. */
const COMPACT_RATIO = 4;
const MIN_LINES_BEFORE_COMPACTION = 10_000;

/**
 * The Batch state of a local account on disk, so that it survives a restart (even `kill -9`):
 * an append-only journal of JSON lines, one per change, written synchronously before the change
 * is acknowledged; replayed on open (last write wins) and then compacted into a snapshot written
 * atomically (temporary file, fsync, rename). The records in memory are the same as
 * `BatchState`'s; only their Batch fields are written.
 */
export class JournalStore extends BatchState {
  private fd: number | undefined;
  private lines = 0;
  /** When the journal is next measured against the records it holds (counting them is a scan). */
  private nextCheck = MIN_LINES_BEFORE_COMPACTION;

  private constructor(private readonly file: string) {
    super();
  }

  /** Opens (or creates) the journal in `dir` and loads what it holds; one process at a time. */
  static open(dir: string): JournalStore {
    mkdirSync(dir, { recursive: true });
    const store = new JournalStore(path.join(dir, "journal.jsonl"));
    store.lock = takeLock(path.join(dir, OWNER_PID_FILE));
    try {
      store.load();
      store.compact();
    } catch (error) {
      rmSync(store.lock, { force: true });
      throw error;
    }
    store.heartbeat = setInterval(() => store.touchLock(), OWNER_HEARTBEAT_MS).unref();
    return store;
  }

  private lock = "";
  private heartbeat: NodeJS.Timeout | undefined;

  /** Marks the owner alive (the lock's modification time): a sweep spares this directory's node containers for a while after it dies. */
  private touchLock(): void {
    const now = new Date();
    try {
      utimesSync(this.lock, now, now);
    } catch (error) {
      log.warn(`cannot touch ${this.lock}: ${(error as Error).message}`);
    }
  }

  /** True when the directory holds a journal with at least one entity. */
  get restored(): boolean {
    return this.pools.size > 0 || this.jobs.size > 0 || this.jobSchedules.size > 0;
  }

  override addPool(record: PoolRecord): void {
    super.addPool(record);
    this.append(persist.pool(record));
  }

  override removePool(record: PoolRecord): void {
    super.removePool(record);
    this.append({ op: "del", kind: "pool", key: persist.pool(record).key });
  }

  override addNode(pool: PoolRecord, record: NodeRecord): void {
    super.addNode(pool, record);
    this.append(persist.pool(pool));
    this.append(persist.node(record));
  }

  override removeNode(pool: PoolRecord, record: NodeRecord): void {
    super.removeNode(pool, record);
    this.append({ op: "del", kind: "node", key: persist.node(record).key });
  }

  override addJob(record: JobRecord): void {
    super.addJob(record);
    this.append(persist.job(record));
  }

  override removeJob(record: JobRecord): void {
    super.removeJob(record);
    this.append({ op: "del", kind: "job", key: persist.job(record).key });
  }

  override addTask(job: JobRecord, record: TaskRecord): void {
    super.addTask(job, record);
    // The job's task sequence counter is not written: a load derives it from its tasks (restoreCounters).
    this.append(persist.task(record));
  }

  override removeTask(job: JobRecord, record: TaskRecord): void {
    super.removeTask(job, record);
    this.append({ op: "del", kind: "task", key: persist.task(record).key });
  }

  override addJobSchedule(record: JobScheduleRecord): void {
    super.addJobSchedule(record);
    this.append(persist.jobSchedule(record));
  }

  override removeJobSchedule(record: JobScheduleRecord): void {
    super.removeJobSchedule(record);
    this.append({ op: "del", kind: "jobschedule", key: persist.jobSchedule(record).key });
  }

  override changed(record: StoredRecord): void {
    super.changed(record);
    if ("jobSchedule" in record) this.append(persist.jobSchedule(record));
    else if ("tasks" in record) this.append(persist.job(record));
    else if ("nodes" in record) this.append(persist.pool(record));
    else if ("running" in record) this.append(persist.node(record));
    else this.append(persist.task(record));
  }

  /** Writes a final snapshot and closes the journal. */
  close(): void {
    clearInterval(this.heartbeat);
    if (this.fd === undefined) return;
    this.compact();
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.lock, { force: true });
  }

  private append(entry: JournalEntry): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(entry) + "\n");
    this.lines++;
    if (this.lines < this.nextCheck) return;
    const records = this.recordCount();
    if (this.lines > COMPACT_RATIO * records) this.compact();
    else this.nextCheck = Math.max(MIN_LINES_BEFORE_COMPACTION, COMPACT_RATIO * records);
  }

  private recordCount(): number {
    let count = 0;
    for (const pool of this.pools.values()) count += 1 + pool.nodes.size;
    for (const job of this.jobs.values()) count += 1 + job.tasks.size;
    return count + this.jobSchedules.size;
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, "utf8");
    let replayed = 0;
    for (const line of text.split("\n")) {
      if (!line) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        // A line cut short by a crash in the middle of a write: everything before it holds.
        log.warn(`ignoring a damaged line of ${this.file}`);
        continue;
      }
      this.replay(entry);
      replayed++;
    }
    this.restoreCounters();
    log.debug(`replayed ${replayed} journal entries`, { pools: this.pools.size, jobs: this.jobs.size });
  }

  private replay(entry: JournalEntry): void {
    if (entry.op === "del") {
      const [parent, child] = entry.key.split("/") as [string, string | undefined];
      if (entry.kind === "pool") this.pools.delete(parent);
      else if (entry.kind === "job") this.jobs.delete(parent);
      else if (entry.kind === "jobschedule") this.jobSchedules.delete(parent);
      else if (entry.kind === "node" && child !== undefined) this.pools.get(parent)?.nodes.delete(child);
      else if (entry.kind === "task" && child !== undefined) this.jobs.get(parent)?.tasks.delete(child);
      return;
    }
    switch (entry.kind) {
      case "pool": {
        const existing = this.pools.get(entry.key);
        this.pools.set(entry.key, {
          pool: entry.value.pool,
          nodes: existing?.nodes ?? new Map<string, NodeRecord>(),
          nextNodeIndex: entry.value.nextNodeIndex,
          ...(entry.value.accountPasswordHashes ? { accountPasswordHashes: entry.value.accountPasswordHashes } : {}),
        });
        return;
      }
      case "node": {
        const pool = this.pools.get(entry.value.poolKey);
        const { node, poolId, hostRoot, containerId, users, pending } = entry.value;
        const existing = pool?.nodes.get(node.id);
        pool?.nodes.set(
          node.id,
          existing
            ? Object.assign(existing, { node, containerId, users, pending })
            : {
                node,
                poolId,
                hostRoot,
                containerId,
                running: new Map(),
                usedSlots: 0,
                leaving: false,
                ...(users ? { users } : {}),
                ...(pending ? { pending } : {}),
              },
        );
        return;
      }
      case "job": {
        const existing = this.jobs.get(entry.key);
        const { job, sequence, nextTaskSequence, nodeTasks } = entry.value;
        this.jobs.set(entry.key, { job, sequence, nextTaskSequence, tasks: existing?.tasks ?? new Map<string, TaskRecord>(), ...restoredNodeTasks(nodeTasks) });
        return;
      }
      case "task": {
        const { jobKey, jobId, task, sequence, nodeId, subtasks, usage } = entry.value;
        const key = entry.key.slice(jobKey.length + 1);
        this.jobs.get(jobKey)?.tasks.set(key, { jobId, task, sequence, nodeId, ...(subtasks ? { subtasks } : {}), ...(usage ? { usage } : {}) });
        return;
      }
      case "jobschedule":
        this.jobSchedules.set(entry.key, { ...entry.value });
        return;
    }
  }

  /** Sequence counters continue after the highest restored value. */
  private restoreCounters(): void {
    let jobSequence = -1;
    for (const job of this.jobs.values()) {
      jobSequence = Math.max(jobSequence, job.sequence);
      for (const task of job.tasks.values()) job.nextTaskSequence = Math.max(job.nextTaskSequence, task.sequence + 1);
    }
    this.nextJobSequence = jobSequence + 1;
  }

  /** Rewrites the journal as one entry per live record, atomically, and reopens it for appending. */
  private compact(): void {
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, "w", 0o600);
    try {
      const chunk: string[] = [];
      const flush = () => {
        if (chunk.length > 0) writeSync(fd, chunk.join(""));
        chunk.length = 0;
      };
      for (const pool of this.pools.values()) {
        chunk.push(JSON.stringify(persist.pool(pool)) + "\n");
        for (const node of pool.nodes.values()) chunk.push(JSON.stringify(persist.node(node)) + "\n");
      }
      for (const job of this.jobs.values()) {
        chunk.push(JSON.stringify(persist.job(job)) + "\n");
        for (const task of job.tasks.values()) {
          chunk.push(JSON.stringify(persist.task(task)) + "\n");
          if (chunk.length >= 1000) flush();
        }
      }
      for (const jobSchedule of this.jobSchedules.values()) chunk.push(JSON.stringify(persist.jobSchedule(jobSchedule)) + "\n");
      flush();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.fd !== undefined) closeSync(this.fd);
    renameSync(temporary, this.file);
    this.fd = openSync(this.file, "a", 0o600);
    this.lines = this.recordCount();
    this.nextCheck = Math.max(MIN_LINES_BEFORE_COMPACTION, COMPACT_RATIO * this.lines);
  }
}

/** Claims the state directory for this process; a live other owner is a configuration error. */
function takeLock(file: string): string {
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
        throw new ConfigError(`the data directory's state is in use by another Malachite (pid ${owner}): ${path.dirname(file)}`);
      }
      rmSync(file, { force: true });
    }
  }
}

/** A job's per-node preparation and release records as written, keyed again. */
function restoredNodeTasks(records: JobNodeRecord[] | undefined): { nodeTasks?: Map<string, JobNodeRecord> } {
  return records ? { nodeTasks: new Map(records.map((record) => [jobNodeKey(record.poolId, record.nodeId), record])) } : {};
}
