import { FormulaEvaluationError } from "./formula-errors.js";
import { asDouble, describe, double, doubleVec, timeinterval, timestamp, type FormulaValue } from "./formula-values.js";

/** One recorded value of a metric. */
export interface MetricSample {
  /** When it was recorded (milliseconds since the epoch). */
  time: number;
  value: number;
}

/** How often the service records a sample: every 30 seconds. */
export const SAMPLE_PERIOD_MS = 30_000;

/**
 * A sampled service variable (`$CPUPercent`, `$PendingTasks`, …) with its methods, as documented
 * under "Obtain sample data": `GetSample`, `GetSamplePercent`, `Count`, `HistoryBeginTime` and
 * `GetSamplePeriod`. Samples are oldest first.
 */
export class SampledMetric {
  constructor(
    readonly name: string,
    private readonly samples: readonly MetricSample[],
    private readonly now: number,
  ) {}

  call(method: string, args: FormulaValue[]): FormulaValue {
    switch (method) {
      case "GetSample":
        return doubleVec(this.getSample(args));
      case "GetSamplePercent": {
        this.arity(method, args, 1, 2);
        const [from, to] = this.window(args[0]!, args[1]);
        return double(this.percentIn(from, to));
      }
      case "Count":
        this.arity(method, args, 0, 0);
        return double(this.samples.length);
      case "HistoryBeginTime":
        this.arity(method, args, 0, 0);
        if (this.samples.length === 0) throw new FormulaEvaluationError(`${this.name}.HistoryBeginTime(): the metric has no samples yet`);
        return timestamp(this.samples[0]!.time);
      case "GetSamplePeriod":
        this.arity(method, args, 0, 0);
        return timeinterval(SAMPLE_PERIOD_MS);
      default:
        throw new FormulaEvaluationError(`${this.name} has no method ${method}() (GetSample, GetSamplePercent, Count, HistoryBeginTime, GetSamplePeriod)`);
    }
  }

  /** `GetSample(count)`, `GetSample(start [, samplePercent])`, `GetSample(start, end [, samplePercent])`. */
  private getSample(args: FormulaValue[]): number[] {
    this.arity("GetSample", args, 1, 3);
    const first = args[0]!;
    if (args.length === 1 && (first.type === "double" || first.type === "doubleVec")) {
      const count = Math.floor(asDouble(first, `${this.name}.GetSample`));
      if (count < 1) throw new FormulaEvaluationError(`${this.name}.GetSample(${count}): the count of samples must be at least 1`);
      if (this.samples.length === 0) throw new FormulaEvaluationError(`${this.name}.GetSample(${count}): the metric has no samples yet`);
      return this.samples.slice(-count).map((sample) => sample.value);
    }
    const hasEnd = args.length >= 2 && (args[1]!.type === "timeinterval" || args[1]!.type === "timestamp");
    const [from, to] = this.window(first, hasEnd ? args[1] : undefined);
    const percentArg = hasEnd ? args[2] : args[1];
    if (hasEnd ? args.length > 3 : args.length > 2)
      throw new FormulaEvaluationError(`${this.name}.GetSample takes at most a start, an end and a sample percent`);
    const required = percentArg ? asDouble(percentArg, `${this.name}.GetSample's samplePercent`) : 0;
    const values = this.samples.filter((sample) => sample.time > from && sample.time <= to).map((sample) => sample.value);
    const percent = this.percentIn(from, to);
    if (values.length === 0 || percent < required) {
      throw new FormulaEvaluationError(
        `${this.name}.GetSample: insufficient samples: ${formatPercent(percent)}% of the samples of the period are available` +
          (required > 0 ? `, ${formatPercent(required)}% required` : ", and none is"),
      );
    }
    return values;
  }

  /** The time range a start (and end) designate: a timeinterval looks back from now, a timestamp is absolute. */
  private window(start: FormulaValue, end: FormulaValue | undefined): [number, number] {
    const at = (value: FormulaValue): number => {
      if (value.type === "timeinterval") return this.now - value.value;
      if (value.type === "timestamp") return value.value;
      throw new FormulaEvaluationError(`${this.name}: a sample range is given by timeintervals or timestamps, not ${describe(value)}`);
    };
    const a = at(start);
    const b = end ? at(end) : this.now;
    return a <= b ? [a, b] : [b, a];
  }

  private percentIn(from: number, to: number): number {
    const expected = Math.floor((to - from) / SAMPLE_PERIOD_MS);
    const available = this.samples.filter((sample) => sample.time > from && sample.time <= to).length;
    if (expected <= 0) return available > 0 ? 100 : 0;
    return Math.min(100, (available / expected) * 100);
  }

  private arity(method: string, args: FormulaValue[], min: number, max: number): void {
    if (args.length < min || args.length > max) {
      throw new FormulaEvaluationError(`${this.name}.${method}() takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`);
    }
  }
}

function formatPercent(value: number): string {
  return String(Math.round(value * 100) / 100);
}
