/**
 * npm run --silent seeds:suggest -- <texts.json>
 *
 * Seed suggestions for diary texts, for measuring them (test/bench/seeds-bench.ts) and for support
 * staff. Reads {"entries": [{"id", "lines": [...]}]} and prints one JSON line per entry:
 * {"id", "seeds": [{"start", "end", "text", "category"}]}, offsets in code points into
 * lines.join("\n").
 */
import fs from "node:fs";
import { loadSeedTokenizer, suggestSeedsWith } from "./suggest.server";

const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run --silent seeds:suggest -- <texts.json>");
  process.exit(2);
}
const { entries } = JSON.parse(fs.readFileSync(file, "utf8")) as {
  entries: Array<{ id: string; lines: string[] }>;
};
// Piping into `head` closes stdout early; that is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const tokenizer = await loadSeedTokenizer();
for (const entry of entries) {
  const seeds = suggestSeedsWith(tokenizer, entry.lines.join("\n")).map(
    ({ start, end, text, category }) => ({ start, end, text, category }),
  );
  process.stdout.write(JSON.stringify({ id: entry.id, seeds }) + "\n");
}
