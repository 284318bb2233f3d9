/**
 * The tutorial's `helpers.wrap_commands_in_shell('linux', cmds)`: Batch runs command lines
 * without a shell, so the tutorial opts into one explicitly.
 */
export function wrapCommandsInShell(commands: string[]): string {
  const script = `set -e; set -o pipefail; ${commands.join(";")}; wait`;
  return `/bin/bash -c '${script.replace(/'/g, `'\\''`)}'`;
}

/** Quotes one word for bash inside double quotes. */
export function doubleQuote(word: string): string {
  return `"${word.replace(/["\\$`]/g, "\\$&")}"`;
}
