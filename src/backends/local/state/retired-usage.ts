import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addTotals, NO_TOTALS, type TaskTotals } from "./task-usage.js";

interface Ledger {
  /** The creation time of the earliest job retired here. */
  since?: string;
  totals: TaskTotals;
}

/**
 * What deleted jobs and tasks used, for the account's lifetime job statistics
 * (`lifetimejobstats`): their figures are added here as they go. Kept in memory or, for a data
 * directory whose state persists, in `<dataDir>/usage/retired-jobs.json` (written atomically).
 */
export class RetiredUsage {
  private ledger: Ledger = { totals: NO_TOTALS };

  private constructor(private readonly file?: string) {}

  static inMemory(): RetiredUsage {
    return new RetiredUsage();
  }

  static onDisk(dataDir: string): RetiredUsage {
    const file = path.join(dataDir, "usage", "retired-jobs.json");
    mkdirSync(path.dirname(file), { recursive: true });
    const retired = new RetiredUsage(file);
    try {
      retired.ledger = JSON.parse(readFileSync(file, "utf8")) as Ledger;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return retired;
  }

  get since(): string | undefined {
    return this.ledger.since;
  }

  get totals(): TaskTotals {
    return this.ledger.totals;
  }

  /** Jobs or tasks were removed: what they used stays in the account's totals, from the creation of the earliest. */
  retire(totals: TaskTotals, creationTime: string): void {
    const since = this.ledger.since !== undefined && this.ledger.since <= creationTime ? this.ledger.since : creationTime;
    this.ledger = { since, totals: addTotals(this.ledger.totals, totals) };
    this.write();
  }

  private write(): void {
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.ledger));
    renameSync(temporary, this.file);
  }
}
