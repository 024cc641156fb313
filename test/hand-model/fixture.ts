/**
 * Writes the stroke-handwriting fixture pages the integration test reads
 * (test/fixtures/ocr/hand/): the lines of a holdout entry (never used for training) drawn by
 * one writer of a seed no training run uses, from strokes only, on one sheet — a horizontal
 * page and a vertical one.
 *
 * Usage: npx tsx test/hand-model/fixture.ts
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { Rng } from "../ocr-gen/rng";
import { loadEntries, REPO_ROOT } from "../ocr-gen/texts";
import { drawWriter, renderLine } from "./writer";

export const HAND_FIXTURE_DIR = path.join(REPO_ROOT, "test", "fixtures", "ocr", "hand");

/** The fixture pages: one horizontal, one vertical, each an entry never trained on. */
const PAGES = [
  { file: "strokes-h02.jpg", entry: "h02", seed: "hand-fixture-h2", layout: "horizontal" },
  { file: "strokes-v07.jpg", entry: "h07", seed: "hand-fixture-v2", layout: "vertical" },
  // Two entries' worth of pens on one page: a writer per line, one of them in pencil among
  // ballpoint and felt pen (the page-wide contrast cut once sent the pencil line to white).
  {
    file: "mixed-pens-h02.jpg",
    entry: "h02",
    seed: "hand-fixture-1",
    layout: "horizontal",
    mixed: true,
  },
] as const;

async function page(
  entryId: string,
  seed: string,
  layout: "horizontal" | "vertical",
  mixed = false,
) {
  const entry = loadEntries("holdout").entries.find((e) => e.id === entryId)!;
  const rng = new Rng(seed);
  // One writer for the page, as in a diary, drawn from strokes only; or a writer per line.
  const writer = mixed ? null : drawWriter(rng);
  const lines = [];
  for (const text of entry.lines) {
    const line = await renderLine(text, rng, layout, writer ? { writer, strokesOnly: true } : {});
    // One sheet: each line's own paper tone brought to the sheet's.
    const { channels } = await sharp(line.png).stats();
    const paper = channels[0]!.mean;
    line.png = await sharp(line.png)
      .linear(242 / paper, 0)
      .png()
      .toBuffer();
    lines.push(line);
  }
  const metas = await Promise.all(lines.map((l) => sharp(l.png).metadata()));
  const gap = 18;
  // Horizontal lines stack downwards; vertical columns from right to left.
  const across = metas.reduce(
    (a, m) => a + (layout === "horizontal" ? m.height! : m.width!) + gap,
    0,
  );
  const along = Math.max(...metas.map((m) => (layout === "horizontal" ? m.width! : m.height!)));
  const width = (layout === "horizontal" ? along : across) + 80;
  const height = (layout === "horizontal" ? across : along) + 80;
  let at = 40;
  const layers = lines.map((l, i) => {
    const m = metas[i]!;
    const layer =
      layout === "horizontal"
        ? { input: l.png, left: 40, top: at }
        : { input: l.png, left: width - 40 - at - m.width!, top: 40 };
    at += (layout === "horizontal" ? m.height! : m.width!) + gap;
    return layer;
  });
  const jpeg = await sharp({ create: { width, height, channels: 3, background: "#f2f2ee" } })
    .composite(layers)
    .jpeg({ quality: 88 })
    .toBuffer();
  return {
    jpeg,
    truth: {
      layout,
      text: lines.map((l) => l.text).join("\n"),
      writers: lines.map((l) => `${l.hand}/${l.writer.pen}`),
    },
  };
}

async function main() {
  fs.mkdirSync(HAND_FIXTURE_DIR, { recursive: true });
  const truth: Record<string, unknown> = {};
  for (const p of PAGES) {
    const made = await page(p.entry, p.seed, p.layout, "mixed" in p && p.mixed);
    fs.writeFileSync(path.join(HAND_FIXTURE_DIR, p.file), made.jpeg);
    truth[p.file] = made.truth;
  }
  fs.writeFileSync(
    path.join(HAND_FIXTURE_DIR, "truth.json"),
    JSON.stringify(truth, null, 2) + "\n",
  );
}

await main();
