/**
 * npm run bench:ocr -- <dir>
 *
 * Benchmarks the OCR pipeline on a folder in the format of ../shared/ocr-dev/ (manifest.json with
 * ground truth + images) and prints figures: CER per page and overall, median and p90 ms per page,
 * pages per minute through the pool, peak RSS, median upload-to-draft time for 12 MP photos on an
 * otherwise idle machine, and — measured in the same run when the `tesseract` command exists —
 * the baseline of plain `OMP_THREAD_LIMIT=1 tesseract --psm 3` run page after page. CER is also
 * broken down by layout, capture (scan / photo / open notebook / hard shadow) and ink, and each
 * page shows the path its draft took (the checks' notes, and a second pass if one was needed).
 *
 * `--quick`: one round, no baseline, no upload-to-draft timing (for trying a change).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cer } from "../../app/ocr/cer";
import { checkUpload } from "../../app/storage/images.server";
import { recognizePage, type OcrPath } from "../../app/ocr/pipeline.server";
import { TesseractPool } from "../../app/ocr/tesseract-pool.server";
import { viewingImage } from "../helpers/images";

interface ManifestPage {
  file: string;
  layout: "horizontal" | "vertical";
  width: number;
  height: number;
  text: string;
  ink?: string;
  /** ocr-dev-hand: "strokes" (KanjiVG-drawn) or "font". */
  hand?: string;
  distortions?: {
    capture?: string;
    open_notebook?: boolean;
    lighting?: { hard_shadow?: unknown };
  };
}

const args = process.argv.slice(2);
const quickIndex = args.indexOf("--quick");
const QUICK = quickIndex >= 0;
if (QUICK) args.splice(quickIndex, 1);
const repeatIndex = args.indexOf("--repeat");
const REPEAT = QUICK
  ? 1
  : repeatIndex >= 0
    ? Math.max(1, Number(args.splice(repeatIndex, 2)[1]) || 1)
    : 3;
const dir: string = args[0] ?? "";
if (!dir) {
  console.error("Usage: npm run bench:ocr -- [--repeat N] <dir with manifest.json>");
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as {
  pages: ManifestPage[];
};
const pages = manifest.pages;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/** The groups a page is reported in: its layout, capture, ink and conditions. */
function groupsOf(p: ManifestPage): string[] {
  const d = p.distortions ?? {};
  const groups = [`layout ${p.layout}`];
  if (d.capture) groups.push(`capture ${d.capture}`);
  if (d.open_notebook) groups.push("open notebook");
  if (d.lighting?.hard_shadow) groups.push("hard shadow");
  if (p.ink) groups.push(`ink ${p.ink}`);
  if (p.hand) groups.push(`hand ${p.hand}`);
  return groups;
}

/** "notes" of the kept pass; "first → second*" when a second pass was made (* = kept). */
function describePath(path: OcrPath): string {
  const show = (i: number) => {
    const p = path.passes[i]!;
    const notes = p.notes.length ? p.notes.join("+") : "full";
    return `${notes} (q ${p.score.toFixed(2)}, ${p.chars}/${p.expected})${i === path.chosen && path.passes.length > 1 ? "*" : ""}`;
  };
  return path.passes.map((_, i) => show(i)).join(" → ");
}

let baseline = null as { wallMs: number[]; cer: number; empty: number } | null;
function runBaseline() {
  let dist = 0;
  let len = 0;
  let empty = 0;
  const t0 = performance.now();
  for (const p of pages) {
    const out = execFileSync(
      "tesseract",
      [
        path.join(dir, p.file),
        "-",
        "-l",
        p.layout === "vertical" ? "jpn_vert" : "jpn",
        "--psm",
        "3",
      ],
      { env: { ...process.env, OMP_THREAD_LIMIT: "1" }, stdio: ["ignore", "pipe", "ignore"] },
    ).toString();
    if (!out.trim()) empty++;
    const c = cer(p.text, out);
    dist += c.distance;
    len += c.length;
  }
  return { wallMs: performance.now() - t0, cer: dist / len, empty };
}
const hasTesseract = !QUICK && spawnSync("tesseract", ["--version"]).status === 0;

const pool = new TesseractPool();
// Warm up: load both models once so that start-up is not counted per page.
const warm = await viewingImage(fs.readFileSync(path.join(dir, pages[0]!.file)));
await recognizePage(warm, pool, { layout: "auto" });

// Median upload-to-draft for 12 MP photos, one at a time (idle machine).
const twelve = QUICK ? [] : pages.filter((p) => p.width * p.height >= 11_000_000);
const uploadToDraft: number[] = [];
for (const p of twelve) {
  const bytes = fs.readFileSync(path.join(dir, p.file));
  const t0 = performance.now();
  await checkUpload(bytes);
  const viewing = await viewingImage(bytes);
  await recognizePage(viewing, pool, { layout: "auto" });
  uploadToDraft.push(performance.now() - t0);
}

// The whole set through the pool, in parallel, as the job runner does; alternated with the
// baseline, REPEAT times each, so that both see the same machine. Medians are reported.
let results: {
  file: string;
  layout: string;
  expected: string;
  cer: number;
  distance: number;
  length: number;
  ms: number;
  path: string;
  groups: string[];
}[] = [];
const walls: number[] = [];
for (let i = 0; i < REPEAT; i++) {
  if (hasTesseract) {
    const b = runBaseline();
    baseline = { wallMs: [...(baseline?.wallMs ?? []), b.wallMs], cer: b.cer, empty: b.empty };
  }
  const round: typeof results = [];
  const t0 = performance.now();
  await Promise.all(
    pages.map(async (p) => {
      const started = performance.now();
      const viewing = await viewingImage(fs.readFileSync(path.join(dir, p.file)));
      const r = await recognizePage(viewing, pool, { layout: "auto" });
      const c = cer(p.text, r.text);
      round.push({
        file: p.file,
        layout: r.layout,
        expected: p.layout,
        ...c,
        ms: performance.now() - started,
        path: describePath(r.path),
        groups: groupsOf(p),
      });
    }),
  );
  walls.push(performance.now() - t0);
  results = round;
}
const wallMs = quantile(walls, 0.5);
await pool.close();

results.sort((a, b) => a.file.localeCompare(b.file));
console.log("file            layout      CER      ms  path");
for (const r of results) {
  const mark = r.layout === r.expected ? "" : ` (expected ${r.expected})`;
  console.log(
    `${r.file.padEnd(15)} ${r.layout.padEnd(11)} ${pct(r.cer).padStart(7)} ${Math.round(r.ms).toString().padStart(6)}  ${r.path}${mark}`,
  );
}
const byGroup = new Map<
  string,
  { distance: number; length: number; pages: number; worst: number }
>();
for (const r of results) {
  for (const g of r.groups) {
    const acc = byGroup.get(g) ?? { distance: 0, length: 0, pages: 0, worst: 0 };
    acc.distance += r.distance;
    acc.length += r.length;
    acc.pages++;
    acc.worst = Math.max(acc.worst, r.cer);
    byGroup.set(g, acc);
  }
}
console.log("");
console.log("group                    pages     CER   worst");
for (const [g, acc] of [...byGroup].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(
    `${g.padEnd(24)} ${String(acc.pages).padStart(5)} ${pct(acc.distance / acc.length).padStart(7)} ${pct(acc.worst).padStart(7)}`,
  );
}
console.log(
  `empty pages           ${results.filter((r) => r.distance >= r.length).length} (CER ≥ 100 %), second passes ${results.filter((r) => r.path.includes("→")).length}`,
);
const dist = results.reduce((s, r) => s + r.distance, 0);
const len = results.reduce((s, r) => s + r.length, 0);
const ms = results.map((r) => r.ms);
console.log("");
console.log(`pages                 ${results.length} (pool of ${pool.size} workers)`);
console.log(
  `overall CER           ${pct(dist / len)}   worst page ${pct(Math.max(...results.map((r) => r.cer)))}`,
);
console.log(
  `layout detected       ${results.filter((r) => r.layout === r.expected).length}/${results.length} right`,
);
console.log(
  `ms per page           median ${Math.round(quantile(ms, 0.5))}, p90 ${Math.round(quantile(ms, 0.9))} (in parallel)`,
);
console.log(
  `whole set             ${(wallMs / 1000).toFixed(1)} s wall (median of ${walls.map((w) => (w / 1000).toFixed(1)).join(", ")}), ${((results.length / wallMs) * 60_000).toFixed(1)} pages/min`,
);
if (uploadToDraft.length) {
  console.log(
    `upload→draft, 12 MP   median ${Math.round(quantile(uploadToDraft, 0.5))} ms over ${uploadToDraft.length} photos, one at a time`,
  );
}
console.log(
  `peak RSS              ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this process, pool included)`,
);
if (baseline) {
  console.log(
    `baseline              tesseract CLI, OMP_THREAD_LIMIT=1, --psm 3, right layout, raw images: ${(quantile(baseline.wallMs, 0.5) / 1000).toFixed(1)} s wall (median of ${baseline.wallMs.map((w) => (w / 1000).toFixed(1)).join(", ")}), CER ${pct(baseline.cer)}, ${baseline.empty} empty page(s)`,
  );
} else {
  console.log(
    QUICK
      ? "baseline              not measured (--quick)"
      : "baseline              not measured: no `tesseract` command (apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert)",
  );
}
