/**
 * Writes the stroke-handwriting fixture page the integration test reads
 * (test/fixtures/ocr/hand/): lines of a holdout entry (never used for training) drawn by
 * writers of a seed no training run uses, stacked on one sheet.
 *
 * Usage: npx tsx test/hand-model/fixture.ts
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { Rng } from "../ocr-gen/rng";
import { loadEntries, REPO_ROOT } from "../ocr-gen/texts";
import { renderLine } from "./writer";

export const HAND_FIXTURE_DIR = path.join(REPO_ROOT, "test", "fixtures", "ocr", "hand");

async function main() {
  const entry = loadEntries("holdout").entries.find((e) => e.id === "h02")!;
  const rng = new Rng("hand-fixture-1");
  const lines = [];
  for (const text of entry.lines) {
    const line = await renderLine(text, rng, "horizontal");
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
  const width = Math.max(...metas.map((m) => m.width!)) + 80;
  const gap = 18;
  const height = metas.reduce((a, m) => a + m.height! + gap, 0) + 80;
  let top = 40;
  const layers = lines.map((l, i) => {
    const layer = { input: l.png, left: 40, top };
    top += metas[i]!.height! + gap;
    return layer;
  });
  fs.mkdirSync(HAND_FIXTURE_DIR, { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: "#f2f2ee" } })
    .composite(layers)
    .jpeg({ quality: 88 })
    .toFile(path.join(HAND_FIXTURE_DIR, "strokes-h02.jpg"));
  fs.writeFileSync(
    path.join(HAND_FIXTURE_DIR, "truth.json"),
    JSON.stringify(
      {
        "strokes-h02.jpg": {
          layout: "horizontal",
          text: lines.map((l) => l.text).join("\n"),
          writers: lines.map((l) => `${l.hand}/${l.writer.pen}`),
        },
      },
      null,
      2,
    ) + "\n",
  );
}

await main();
