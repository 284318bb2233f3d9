import { BatchErrors } from "../../../core/batch-errors.js";

/**
 * Splits a Batch command line into argv the way a POSIX shell tokenizes words, without any of
 * a shell's features: no variable expansion, no globbing, no redirection. Batch runs command
 * lines without a shell; `/bin/bash -c '...'` is how users opt into one.
 *
 * Whitespace separates words; single quotes keep everything literally; inside double quotes a
 * backslash escapes `"`, `\`, `$` and `` ` ``; outside quotes a backslash escapes any character.
 */
export function splitCommandLine(commandLine: string, propertyName = "commandLine"): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < commandLine.length; i++) {
    const c = commandLine[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < commandLine.length && '"\\$`'.includes(commandLine[i + 1] as string)) word += commandLine[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 < commandLine.length) word += commandLine[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw BatchErrors.invalidPropertyValue(propertyName, commandLine, `The command line has an unterminated ${quote} quote.`);
  if (inWord) words.push(word);
  if (words.length === 0) throw BatchErrors.invalidPropertyValue(propertyName, commandLine, "The command line is empty.");
  return words;
}
