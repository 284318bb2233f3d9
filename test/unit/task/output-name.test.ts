import { describe, expect, it } from "vitest";
import { outputFileName, pythonSplitext } from "../../../task/output-name.js";

describe("outputFileName", () => {
  it.each([
    ["taskdata1.txt", "taskdata1_OUTPUT.txt"],
    ["a.tar.gz", "a.tar_OUTPUT.gz"],
    ["README", "README_OUTPUT"],
    [".profile", ".profile_OUTPUT"],
    ["..x", "..x_OUTPUT"],
    ["a.", "a_OUTPUT."],
    ["dir.d/file", "dir.d/file_OUTPUT"],
    ["dir/.hidden.txt", "dir/.hidden_OUTPUT.txt"],
    ["./taskdata1.txt", "./taskdata1_OUTPUT.txt"],
    ["/abs/path/data.csv", "/abs/path/data_OUTPUT.csv"],
  ])("%s → %s", (input, expected) => {
    expect(outputFileName(input)).toBe(expected);
  });
});

describe("pythonSplitext", () => {
  it.each([
    ["taskdata1.txt", "taskdata1", ".txt"],
    ["..x", "..x", ""],
    ["...", "...", ""],
    ["a.", "a", "."],
    ["a..", "a.", "."],
    ["..a.b", "..a", ".b"],
    ["dir.d/", "dir.d/", ""],
    ["", "", ""],
  ])("splitext(%j) == (%j, %j)", (input, root, extension) => {
    expect(pythonSplitext(input)).toEqual([root, extension]);
  });
});
