/**
 * npm run bench:seeds -- [--verbose | --verbose=all] [--no-parity] <texts.json>...
 *
 * --verbose lists misses and extra suggestions of the odd (tuning) entries only; --verbose=all
 * lists them for every entry (for a file used wholly for tuning, test/fixtures/seeds/tune.json —
 * never for a held-out one). --no-parity leaves out the odd/even split (for files that are wholly
 * tuning or wholly held-out).
 *
 * Scores seed suggestions (app/seeds/suggest.server.ts) against the `seeds: [{text, category}]`
 * a staff member picked in each entry. A gold seed is found when one suggestion covers at least
 * half of its code points; a suggestion is correct when it covers at least half of some gold
 * seed. Prints recall, precision and category agreement (on found seeds) overall, per category,
 * and for odd and even entry ids separately (the rules were tuned looking at odd ids only), plus
 * the tokenizer load time and time per entry.
 */
import fs from "node:fs";
import {
  loadSeedTokenizer,
  suggestSeedsWith,
  type SeedSuggestion,
} from "../../app/seeds/suggest.server";

interface Entry {
  id: string;
  lines: string[];
  seeds?: Array<{ text: string; category: string }>;
}

const args = process.argv.slice(2);
const verboseAll = args.includes("--verbose=all");
const verbose = verboseAll || args.includes("--verbose");
const parity = !args.includes("--no-parity");
const files = args.filter((a) => !a.startsWith("--"));
if (files.length === 0) {
  console.error("Usage: npm run bench:seeds -- [--verbose] <texts.json>...");
  process.exit(2);
}

const entries: Entry[] = files.flatMap(
  (f) => (JSON.parse(fs.readFileSync(f, "utf8")) as { entries: Entry[] }).entries,
);

const loadStart = performance.now();
const tokenizer = await loadSeedTokenizer();
const loadMs = performance.now() - loadStart;

interface Gold {
  start: number;
  end: number;
  text: string;
  category: string;
}

/** Code-point span of `needle` in `hay`, or null. */
function locate(hay: string, needle: string): { start: number; end: number } | null {
  const at = hay.indexOf(needle);
  if (at < 0) return null;
  const start = Array.from(hay.slice(0, at)).length;
  return { start, end: start + Array.from(needle).length };
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
const coversHalf = (s: SeedSuggestion, g: Gold) => overlap(s, g) * 2 >= g.end - g.start;

interface Tally {
  gold: number;
  found: number;
  agreed: number;
  suggested: number;
  correct: number;
}
const tally = (): Tally => ({ gold: 0, found: 0, agreed: 0, suggested: 0, correct: 0 });
const groups = new Map<string, Tally>();
const get = (key: string) => {
  if (!groups.has(key)) groups.set(key, tally());
  return groups.get(key)!;
};

const times: number[] = [];
let missingGold = 0;
for (const entry of entries) {
  const text = entry.lines.join("\n").normalize("NFC");
  const gold: Gold[] = [];
  for (const g of entry.seeds ?? []) {
    const span = locate(text, g.text.normalize("NFC"));
    if (span) gold.push({ ...span, text: g.text, category: g.category });
    else missingGold++;
  }
  const t0 = performance.now();
  const suggestions = suggestSeedsWith(tokenizer, text);
  times.push(performance.now() - t0);

  const half =
    Number(entry.id.replace(/\D/g, "")) % 2 === 1 ? "odd ids (tuned on)" : "even ids (held out)";
  const buckets = parity ? ["overall", half] : ["overall"];
  // Details only for the half the rules are tuned on, so the other half stays unseen.
  const show = verboseAll || (verbose && half.startsWith("odd"));
  for (const g of gold) {
    const hit = suggestions.filter((s) => coversHalf(s, g));
    const best = hit.sort((a, b) => overlap(b, g) - overlap(a, g))[0];
    const keys = [...buckets, `category ${g.category}`];
    if (parity) keys.push(`${half[0]}-category ${g.category}`);
    for (const key of keys) {
      const t = get(key);
      t.gold++;
      if (best) t.found++;
      if (best && best.category === g.category) t.agreed++;
    }
    if (show && !best) console.log(`  miss ${entry.id} ${g.category} ${g.text}`);
    else if (show && best!.category !== g.category)
      console.log(`  category ${entry.id} ${g.category}→${best!.category} ${g.text}`);
  }
  for (const s of suggestions) {
    const ok = gold.some((g) => coversHalf(s, g));
    for (const key of [...buckets, `suggested ${s.category}`]) {
      const t = get(key);
      t.suggested++;
      if (ok) t.correct++;
    }
    if (show && !ok) console.log(`  extra ${entry.id} ${s.category} ${s.text.replace(/\n/g, "⏎")}`);
  }
}

const pct = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)} %` : "—");
const row = (label: string, t: Tally) =>
  `${label.padEnd(24)} recall ${pct(t.found, t.gold).padStart(7)} (${t.found}/${t.gold})  ` +
  `precision ${pct(t.correct, t.suggested).padStart(7)} (${t.correct}/${t.suggested})  ` +
  `category ${pct(t.agreed, t.found).padStart(7)}`;

console.log(`entries ${entries.length} from ${files.join(", ")}`);
if (missingGold) console.log(`gold seeds not found verbatim in their text: ${missingGold}`);
for (const key of ["overall", "odd ids (tuned on)", "even ids (held out)"])
  if (groups.has(key)) console.log(row(key, groups.get(key)!));
console.log("per gold category (recall, category agreement):");
for (const [key, t] of [...groups].filter(([k]) => k.startsWith("category ")).sort())
  console.log(
    `  ${key.slice(9).padEnd(13)} recall ${pct(t.found, t.gold).padStart(7)} (${t.found}/${t.gold})  category ${pct(t.agreed, t.found).padStart(7)}`,
  );
for (const h of parity ? ["o", "e"] : []) {
  const label = h === "o" ? "odd" : "even";
  const cells = [...groups]
    .filter(([k]) => k.startsWith(`${h}-category `))
    .sort()
    .map(([k, t]) => `${k.slice(11)} ${t.found}/${t.gold}`);
  console.log(`  recall on ${label} ids: ${cells.join(", ")}`);
}
console.log("per suggested category (precision):");
for (const [key, t] of [...groups].filter(([k]) => k.startsWith("suggested ")).sort())
  console.log(
    `  ${key.slice(10).padEnd(13)} precision ${pct(t.correct, t.suggested).padStart(7)} (${t.correct}/${t.suggested})`,
  );
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `timing: tokenizer load ${loadMs.toFixed(0)} ms; per entry median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, ` +
    `max ${sorted[sorted.length - 1]!.toFixed(2)} ms, total ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
);
