import { describe, expect, it } from "vitest";
import {
  compileFormula,
  evaluateAutoScale,
  evaluateAutoScaleText,
  SAMPLED_METRICS,
  type AutoScaleInput,
  type MetricSample,
} from "../../../../src/core/autoscale/index.js";
import { errorOf } from "../../../support/error-of.js";
import { ARTICLE_FORMULAS } from "./article-formulas.js";

/** Wednesday 2 December 2026, 10:00 UTC: a working weekday hour. */
const NOW = Date.parse("2026-12-02T10:00:00Z");

/** A sample every 30 s over the last `minutes`, the newest at `now`, leaving out the newest `missing`. */
function history(value: number, minutes = 120, missing = 0): MetricSample[] {
  const samples: MetricSample[] = [];
  for (let i = minutes * 2; i >= missing; i -= 1) samples.push({ time: NOW - i * 30_000, value });
  return samples;
}

const VALUES: Record<string, number> = { $CPUPercent: 0.9, $PendingTasks: 7, $ActiveTasks: 5, $RunningTasks: 0, $PreemptedNodeCount: 2 };

function input(overrides: Partial<AutoScaleInput> = {}): AutoScaleInput {
  const samples = Object.fromEntries(SAMPLED_METRICS.map((name) => [name, history(VALUES[name] ?? 1)]));
  return {
    now: NOW,
    random: () => 0.25,
    targetDedicatedNodes: 2,
    targetLowPriorityNodes: 0,
    currentDedicatedNodes: 10,
    currentLowPriorityNodes: 0,
    taskSlotsPerNode: 1,
    usableNodeCount: 10,
    samples,
    ...overrides,
  };
}

const run = (formula: string, overrides: Partial<AutoScaleInput> = {}) => evaluateAutoScale(compileFormula(formula), input(overrides));

describe("the formulas of Microsoft's autoscale article", () => {
  const expected: Record<string, { dedicated: number; lowPriority?: number; option?: string }> = {
    "Sample: pending tasks": { dedicated: 7, option: "taskcompletion" },
    "Sample: preempted nodes": { dedicated: 2, lowPriority: 23, option: "taskcompletion" },
    "Write a formula: the complete formula": { dedicated: 11 },
    "Write a formula: the complete formula (2020, with taskcompletion)": { dedicated: 11, option: "taskcompletion" },
    "Write a formula: keep nodes until their tasks are done": { dedicated: 2, option: "taskcompletion" },
    ".NET: 5 nodes on Mondays": { dedicated: 1 },
    "Python: working hours": { dedicated: 20 },
    "Evaluate: the formula that does not resize": { dedicated: 10 },
    "Evaluate: the one-line formula": { dedicated: 0 },
    "Example 1: time-based adjustment": { dedicated: 20, option: "taskcompletion" },
    "Example 2: task-based adjustment": { dedicated: 7, option: "taskcompletion" },
    "Example 3: accounting for parallel tasks": { dedicated: 2, option: "taskcompletion" },
    "Example 4: setting an initial pool size": { dedicated: 4 },
  };

  for (const [name, formula] of Object.entries(ARTICLE_FORMULAS)) {
    it(`parses and evaluates "${name}"`, () => {
      const evaluation = run(formula);
      expect(evaluation.error).toBeUndefined();
      expect(evaluation.targets).toBeDefined();
      const want = expected[name];
      if (want) {
        expect(evaluation.targets).toEqual({
          targetDedicatedNodes: want.dedicated,
          targetLowPriorityNodes: want.lowPriority ?? 0,
          nodeDeallocationOption: want.option ?? "requeue",
        });
      }
    });
  }

  it("reports the results as the article's sample output does: service variables first, then the formula's own by name", () => {
    expect(run(ARTICLE_FORMULAS["Example 1: time-based adjustment"]!).results).toBe(
      "$TargetDedicatedNodes=20;$TargetLowPriorityNodes=0;$NodeDeallocationOption=taskcompletion;" +
        "$curTime=2026-12-02T10:00:00.000Z;$isWeekday=1;$isWorkingWeekdayHour=1;$workHours=1",
    );
    expect(run("$TargetDedicatedNodes=3").results).toBe("$TargetDedicatedNodes=3;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
  });

  it("on a Monday outside working hours, the time-based formulas pick their other branch", () => {
    const monday = Date.parse("2026-11-30T20:00:00Z");
    expect(run(ARTICLE_FORMULAS[".NET: 5 nodes on Mondays"]!, { now: monday }).targets?.targetDedicatedNodes).toBe(5);
    expect(run(ARTICLE_FORMULAS["Example 1: time-based adjustment"]!, { now: monday }).targets?.targetDedicatedNodes).toBe(10);
  });

  it("GetSample with a sample percentage fails when too few samples of the period exist (18 of 20: 95% fails, 80% succeeds)", () => {
    const samples = { $CPUPercent: history(50, 10, 2) };
    const strict = run("$x = $CPUPercent.GetSample(TimeInterval_Minute * 10, 95); $TargetDedicatedNodes = 1", { samples });
    expect(strict.error?.detail).toBe("$CPUPercent.GetSample: insufficient samples: 90% of the samples of the period are available, 95% required");
    expect(strict.targets).toBeUndefined();
    const lenient = run("$x = $CPUPercent.GetSample(TimeInterval_Minute * 10, 80); $TargetDedicatedNodes = len($x)", { samples });
    expect(lenient.error).toBeUndefined();
    expect(lenient.targets?.targetDedicatedNodes).toBe(18);
    expect(run("$TargetDedicatedNodes = $CPUPercent.GetSamplePercent(TimeInterval_Minute * 10)", { samples }).targets?.targetDedicatedNodes).toBe(90);
  });
});

describe("the language", () => {
  const value = (expression: string, overrides: Partial<AutoScaleInput> = {}) => {
    const evaluation = run(`$v = ${expression}; $TargetDedicatedNodes = 0`, overrides);
    if (evaluation.error) throw evaluation.error;
    return /\$v=([^;]*)/.exec(evaluation.results)![1];
  };

  it("computes the functions of the article's table", () => {
    expect(value("avg(1, 2, 3, 6)")).toBe("3");
    expect(value("len($PendingTasks.GetSample(4), 1)")).toBe("5");
    expect(value("lg(8)")).toBe("3");
    expect(value("ln(1)")).toBe("0");
    expect(value("log(1000)")).toBe("3");
    expect(value("log([10, 100])")).toBe("[1,2]");
    expect(value("max(1, [7, 3])")).toBe("7");
    expect(value("min(4, [7, 3])")).toBe("3");
    expect(value("norm(3, 4)")).toBe("5");
    expect(value("percentile([5, 1, 4, 2, 3], 60)")).toBe("3");
    expect(value("rand()")).toBe("0.25");
    expect(value("range(2, 9, 4)")).toBe("7");
    expect(value("std(2, 4, 4, 4, 5, 5, 7, 9)")).toBe("2.1380899352994");
    expect(value("sum([1, 2], 3)")).toBe("6");
    expect(value("val([4, 5, 6], 1)")).toBe("5");
    expect(value("ceil(1.2)")).toBe("2");
    expect(value("floor(1.8)")).toBe("1");
    expect(value("round(2.5)")).toBe("3");
  });

  it("follows the operations table: vectors, time arithmetic, comparisons and logic", () => {
    expect(value("[1, 2] * 2 + 1")).toBe("[3,5]");
    expect(value("[1, 2] + [3, 4]")).toBe("[4,6]");
    expect(value("2 * TimeInterval_Minute + TimeInterval_Second")).toBe("00:02:01");
    expect(value('time("2026-12-02T09:00:00Z") + TimeInterval_Hour')).toBe("2026-12-02T10:00:00.000Z");
    expect(value('time() - time("Wed, 02 Dec 2026 09:30:00 GMT")')).toBe("00:30:00");
    expect(value('time() > time("2026-01-01T00:00:00Z")')).toBe("1");
    expect(value('"abc" < "abd"')).toBe("1");
    expect(value("!0 && (1 || 0)")).toBe("1");
    expect(value("-TimeInterval_Day < TimeInterval_Zero")).toBe("1");
    expect(value("1 + 2 * 3 - 4 / 2")).toBe("5");
    expect(value("0 ? 1 : 2 ? 3 : 4")).toBe("3");
    expect(value("$PendingTasks.Count()")).toBe("241");
    expect(value("$PendingTasks.GetSamplePeriod()")).toBe("00:00:30");
    expect(value("$PendingTasks.HistoryBeginTime()")).toBe("2026-12-02T08:00:00.000Z");
    expect(value("$CurrentDedicatedNodes + $TaskSlotsPerNode + $UsableNodeCount + $CurrentLowPriorityNodes")).toBe("21");
  });

  it("stop() ends the evaluation and keeps what was computed", () => {
    expect(run("$TargetDedicatedNodes = 3; stop(); $TargetDedicatedNodes = 9").targets?.targetDedicatedNodes).toBe(3);
  });

  it("prefers the full name over its alias, and takes the alias alone", () => {
    expect(run("$TargetDedicated = 5; $TargetDedicatedNodes = 6").targets?.targetDedicatedNodes).toBe(6);
    expect(run("$TargetDedicated = 5").targets?.targetDedicatedNodes).toBe(5);
    expect(run("$TargetLowPriority = 4").targets?.targetLowPriorityNodes).toBe(4);
  });

  it("truncates targets to whole nodes and never goes below zero", () => {
    expect(run("$TargetDedicatedNodes = 2.9").targets?.targetDedicatedNodes).toBe(2);
    expect(run("$TargetDedicatedNodes = -3").targets?.targetDedicatedNodes).toBe(0);
  });
});

describe("invalid formulas", () => {
  const syntax: [string, string, string][] = [
    ["$TargetDedicatedNodes = ", "25", "Unexpected end of formula"],
    ["$TargetDedicatedNodes = 1 +* 2;", "28", "Unexpected '*'"],
    ["$TargetDedicatedNodes = max(1, 2;", "33", "Expected ',' or ')'"],
    ["$a = 1 $b = 2", "8", "Expected ';' between statements"],
    ['$x = "abc', "6", "Unterminated string literal"],
    ["$x = 3 % 2;", "8", "Unexpected character '%'"],
    ["$x = (1 ? 2);", "12", "Expected ':' in the conditional expression"],
    ["$x = $CPUPercent.;", "18", "Expected a method or member name after '.'"],
  ];
  for (const [formula, position, message] of syntax) {
    it(`refuses ${JSON.stringify(formula)} with AutoScalingFormulaSyntaxError`, () => {
      const error = errorOf(() => compileFormula(formula));
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe("AutoScalingFormulaSyntaxError");
      expect(error.values).toContainEqual({ key: "Line", value: "1" });
      expect(error.values).toContainEqual({ key: "Position", value: position });
      expect(error.values.find((v) => v.key === "Message")?.value).toContain(message);
    });
  }

  it("ends a statement without its ';' only before an assignment on a new line", () => {
    expect(compileFormula("$a = 1\n$b = 2")).toHaveLength(2);
    const error = errorOf(() => compileFormula("$a = 1\n$b"));
    expect(error.values).toEqual([
      { key: "Line", value: "2" },
      { key: "Position", value: "1" },
      { key: "Message", value: "Expected ';' between statements, found '$b'" },
    ]);
  });

  it("gives the line of a syntax error in a multi-line formula", () => {
    const error = errorOf(() => compileFormula("$a = 1;\n// comment\n$b = (2;"));
    expect(error.values).toContainEqual({ key: "Line", value: "3" });
  });

  it("refuses a formula longer than 8192 characters and more than 100 statements", () => {
    expect(errorOf(() => compileFormula(`$TargetDedicatedNodes = 1;${" ".repeat(8200)}`)).code).toBe("AutoScaleFormulaTooLong");
    expect(errorOf(() => compileFormula("$a = 1;".repeat(101))).values).toContainEqual({ key: "Message", value: expect.stringContaining("at most 100") });
  });

  const evaluation: [string, RegExp][] = [
    ["$something_useless", /The variable \$something_useless is not defined/],
    ["$TargetDedicatedNodes = nosuch(1);", /Unknown function nosuch\(\)/],
    ["$CPUPercent = 5;", /read-only service-defined variable/],
    ["$TargetDedicatedNodes = $PendingTasks;", /sampled metric \$PendingTasks/],
    ['$TargetDedicatedNodes = "x" + 1;', /'\+' does not apply to a string and a double/],
    ['$NodeDeallocationOption = "sometimes";', /must be one of requeue, terminate, taskcompletion, retaineddata/],
    ["$TargetDedicatedNodes = val($PendingTasks.GetSample(1), 3);", /index 3 is outside the vector of 1 elements/],
    ["$TargetDedicatedNodes = 1/0;", /finite number/],
    ["$TargetDedicatedNodes = $PendingTasks.Median();", /has no method Median/],
    ["$x = time().hour; $TargetDedicatedNodes = $x.hour;", /has no member 'hour'/],
    ['$t = time("not a date");', /not a W3C-DTF or RFC 1123 date/],
  ];
  for (const [formula, message] of evaluation) {
    it(`runs ${JSON.stringify(formula)} into AutoScalingFormulaEvaluationError, keeping the pool's targets`, () => {
      const result = run(formula);
      expect(result.targets).toBeUndefined();
      expect(result.error?.detail).toMatch(message);
      expect(result.results).toBe("$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    });
  }

  it("fails GetSample on a metric without samples", () => {
    expect(run("$TargetDedicatedNodes = $PendingTasks.GetSample(1)", { samples: {} }).error?.detail).toMatch(/no samples yet/);
    expect(run("$TargetDedicatedNodes = avg($PendingTasks.GetSample(TimeInterval_Minute))", { samples: {} }).error?.detail).toMatch(/insufficient samples/);
  });

  it("evaluating text answers a syntax error as the run's error with the pool's targets, and refuses a formula over 8192 characters", () => {
    const result = evaluateAutoScaleText("$TargetDedicatedNodes = (", input());
    expect(result.error?.name).toBe("FormulaSyntaxError");
    expect(result.results).toBe("$TargetDedicatedNodes=2;$TargetLowPriorityNodes=0;$NodeDeallocationOption=requeue");
    expect(evaluateAutoScaleText("$TargetDedicatedNodes = 5", input()).targets?.targetDedicatedNodes).toBe(5);
    expect(errorOf(() => evaluateAutoScaleText(" ".repeat(8193), input())).code).toBe("AutoScaleFormulaTooLong");
  });
});
