import { describe, expect, it } from "vitest";
import { isHelpRequested, parseArguments, usage, UsageError } from "../../../task/arguments.js";

const BASE = [
  "--filepath",
  "taskdata1.txt",
  "--numwords",
  "3",
  "--storageaccount",
  "myaccount",
  "--storagecontainer",
  "output",
  "--sastoken",
  "se=2018-06-13T17%3A34%3A22Z&sp=w&sv=2017-04-17&sr=c&sig=abc%2B",
];

function without(name: string): string[] {
  const i = BASE.indexOf(name);
  return [...BASE.slice(0, i), ...BASE.slice(i + 2)];
}

describe("parseArguments", () => {
  it("parses the original's five arguments and defaults the endpoint as the original", () => {
    expect(parseArguments(BASE)).toEqual({
      filepath: "taskdata1.txt",
      numwords: 3,
      storageaccount: "myaccount",
      storagecontainer: "output",
      sastoken: "se=2018-06-13T17%3A34%3A22Z&sp=w&sv=2017-04-17&sr=c&sig=abc%2B",
      blobEndpoint: "https://myaccount.blob.core.windows.net",
    });
  });

  it("accepts the SAS token with a leading ?", () => {
    const args = [...without("--sastoken"), "--sastoken", "?sp=w&sig=x"];
    expect(parseArguments(args).sastoken).toBe("sp=w&sig=x");
  });

  it("takes --blobendpoint, trailing slash removed", () => {
    const args = [...BASE, "--blobendpoint", "http://127.0.0.1:10000/devstoreaccount1/"];
    expect(parseArguments(args).blobEndpoint).toBe("http://127.0.0.1:10000/devstoreaccount1");
  });

  it("accepts --name=value, any order, and the last of repeated options", () => {
    const args = ["--numwords=5", ...without("--numwords"), "--filepath", "other.txt"];
    const parsed = parseArguments(args);
    expect(parsed.numwords).toBe(5);
    expect(parsed.filepath).toBe("other.txt");
  });

  it.each([
    ["0", 0],
    ["-2", -2],
    ["+7", 7],
    [" 12 ", 12],
    ["1_000", 1000],
  ])("reads --numwords %j as Python's int() does", (value, expected) => {
    expect(parseArguments([...without("--numwords"), "--numwords", value]).numwords).toBe(expected);
  });

  it.each(["three", "3.0", "", "1__0", "0x10"])("rejects --numwords %j", (value) => {
    expect(() => parseArguments([...without("--numwords"), "--numwords", value])).toThrow(/argument --numwords: invalid int value/);
  });

  it("names every missing required argument", () => {
    expect(() => parseArguments(["--numwords", "3"])).toThrow(
      new UsageError("the following arguments are required: --filepath, --storageaccount, --storagecontainer, --sastoken"),
    );
  });

  it("rejects an option without its value", () => {
    expect(() => parseArguments([...without("--filepath"), "--filepath"])).toThrow(/--filepath: expected one argument/);
    expect(() => parseArguments(["--filepath", "--numwords", "3"])).toThrow(/--filepath: expected one argument/);
  });

  it("rejects unknown arguments", () => {
    expect(() => parseArguments([...BASE, "--verbose"])).toThrow(/unrecognized arguments: --verbose/);
    expect(() => parseArguments([...BASE, "extra"])).toThrow(UsageError);
  });

  it.each(["not a url", "ftp://host/x", "http://host/acct?sv=1&sig=x"])("rejects --blobendpoint %j", (value) => {
    expect(() => parseArguments([...BASE, "--blobendpoint", value])).toThrow(UsageError);
  });
});

describe("usage and help", () => {
  it("lists every option", () => {
    const text = usage("tutorial_task.js");
    for (const option of ["--filepath", "--numwords", "--storageaccount", "--storagecontainer", "--sastoken", "--blobendpoint"]) {
      expect(text).toContain(option);
    }
  });

  it("detects -h and --help", () => {
    expect(isHelpRequested(["-h"])).toBe(true);
    expect(isHelpRequested([...BASE, "--help"])).toBe(true);
    expect(isHelpRequested(BASE)).toBe(false);
  });
});
