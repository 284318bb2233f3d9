import { createInterface } from "node:readline/promises";

export type CleanupChoice = "ask" | "yes" | "keep";

/**
 * The tutorial's `Delete job? [Y/n]`. `yes` and `keep` decide without asking; `ask` asks on a
 * terminal and, without one, takes the default (yes) so a script never hangs.
 */
export async function confirm(
  question: string,
  choice: CleanupChoice,
  io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; write: (text: string) => void },
): Promise<boolean> {
  if (choice !== "ask") {
    io.write(`${question} [Y/n] ${choice === "yes" ? "y" : "n"}\n`);
    return choice === "yes";
  }
  if (!io.input.isTTY) {
    io.write(`${question} [Y/n] y (no terminal: default)\n`);
    return true;
  }
  const rl = createInterface({ input: io.input, output: process.stdout });
  try {
    const answer = (await rl.question(`${question} [Y/n] `)).trim().toLowerCase();
    return answer === "" || answer === "y" || answer === "yes";
  } finally {
    rl.close();
  }
}
