/** The real pipeline (sharp + tesseract.js with the bundled Japanese models) on two small fixture pages. */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { cer } from "~/ocr/cer";
import { recognizePage } from "~/ocr/pipeline.server";
import { TesseractPool } from "~/ocr/tesseract-pool.server";
import { viewingImage } from "../helpers/images";
import { ROOT } from "../helpers/paths";

const FIXTURES = path.join(ROOT, "test", "fixtures", "ocr");
const truth = JSON.parse(fs.readFileSync(path.join(FIXTURES, "truth.json"), "utf8")) as Record<
  string,
  { layout: "horizontal" | "vertical"; text: string }
>;
const pool = new TesseractPool({ size: 2 });

afterAll(async () => {
  await pool.close();
});

describe("OCR pipeline", () => {
  // The current pipeline reads these at about 7–10 % CER; the bound leaves room for noise.
  it.each(Object.entries(truth))(
    "reads %s with the right layout, found by itself",
    async (file, expected) => {
      const viewing = await viewingImage(fs.readFileSync(path.join(FIXTURES, file)));
      const result = await recognizePage(viewing, pool, { layout: "auto" });
      expect(result.layout).toBe(expected.layout);
      expect(cer(expected.text, result.text).cer).toBeLessThan(0.2);
      // Lines carry boxes on the viewing image for the review screen.
      expect(result.lines.length).toBeGreaterThan(3);
      for (const line of result.lines) {
        expect(line.bbox.x1).toBeGreaterThan(line.bbox.x0);
        expect(line.bbox.y1).toBeGreaterThan(line.bbox.y0);
      }
      // No spaces between Japanese characters.
      expect(result.text).not.toMatch(/[ぁ-んァ-ン一-龯] [ぁ-んァ-ン一-龯]/);
    },
  );
});

/**
 * Pages unlike the two above, made by test/ocr-gen (npm run ocr:gen -- --fixtures): a flat scan
 * of blue ballpoint on white paper and a black vertical one (no background around the sheet:
 * the paper mask must stand down), an open notebook with its facing page, and pencil under a
 * hard shadow (the shaded half of the sheet is as dark as the desk: the paper mask must take the
 * lower cut, see `paperMask`). Bounds sit above what the pipeline reads today (measured with the
 * run-3 handwriting models: 14, 3, 11 and 17 % CER); what they guard is that no step throws a
 * page's writing away again.
 */
const VARIETY = path.join(FIXTURES, "variety");
const variety = JSON.parse(fs.readFileSync(path.join(VARIETY, "manifest.json"), "utf8")) as {
  pages: { file: string; layout: "horizontal" | "vertical"; text: string }[];
};
const varietyCases: Record<string, { maxCer: number; notes: string[]; secondPass: boolean }> = {
  "scan-blue.jpg": { maxCer: 0.2, notes: ["paper-kept-whole"], secondPass: false },
  "scan-black.jpg": { maxCer: 0.15, notes: ["paper-kept-whole"], secondPass: false },
  "open-notebook.jpg": { maxCer: 0.2, notes: [], secondPass: false },
  "pencil.jpg": { maxCer: 0.25, notes: ["faint-ink"], secondPass: false },
};

describe("OCR pipeline on generated pages", () => {
  it.each(variety.pages.map((p) => [p.file, p] as const))(
    "never loses the writing of %s, and records the path it took",
    { timeout: 120_000 },
    async (file, expected) => {
      const want = varietyCases[file]!;
      const viewing = await viewingImage(fs.readFileSync(path.join(VARIETY, file)));
      const result = await recognizePage(viewing, pool, { layout: "auto" });
      expect(result.layout).toBe(expected.layout);
      const read = Array.from(result.text.replace(/\s/g, "")).length;
      const truth = Array.from(expected.text.replace(/\s/g, "")).length;
      expect(read).toBeGreaterThan(truth * 0.6);
      expect(cer(expected.text, result.text).cer).toBeLessThan(want.maxCer);

      const { passes, chosen } = result.path;
      expect(passes.length).toBe(want.secondPass ? 2 : 1);
      expect(chosen).toBe(want.secondPass ? 1 : 0);
      expect(passes[chosen]!.notes).toEqual(expect.arrayContaining(want.notes));
      // The pass counted what it read before the small post-corrections of the text.
      expect(Math.abs(passes[chosen]!.chars - read)).toBeLessThanOrEqual(3);
      if (want.secondPass) expect(passes[1]!.score).toBeGreaterThan(passes[0]!.score);
    },
  );
});

/** A page of large writing in Klee One, photographed-style on cream paper. */
async function bigWriting(lines: string[], size: number, extra = "") {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1500" height="2000"><rect width="100%" height="100%" fill="#fbfaf6"/>${lines
    .map(
      (line, i) =>
        `<text x="80" y="${500 + i * 450}" font-family="Klee One" font-size="${size}" fill="#111" ${extra}>${line}</text>`,
    )
    .join("")}</svg>`;
  return viewingImage(await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer());
}

describe("a page the first preparation would spoil", () => {
  it(
    "keeps a thick marker's strokes, which the blob step would take for blobs",
    { timeout: 120_000 },
    async () => {
      // Strokes wider than the blob step's window: many dark areas of a character's size, so
      // the check after the step keeps them (note `wide-pen`) and the first pass reads them.
      const lines = ["きょうはみんな", "でうたいました"];
      const viewing = await bigWriting(
        lines,
        190,
        'font-weight="600" stroke="#111" stroke-width="12"',
      );
      const result = await recognizePage(viewing, pool, { layout: "auto" });
      const { passes, chosen } = result.path;
      expect(chosen).toBe(0);
      expect(passes[0]!.notes).toContain("wide-pen");
      expect(result.layout).toBe("horizontal");
      expect(cer(lines.join("\n"), result.text).cer).toBeLessThan(0.2);
    },
  );

  it(
    "is read again prepared plainly when the first reading is poor, and the better one is kept",
    { timeout: 120_000 },
    async () => {
      // Large kanji: their long straight strokes are longer than the rule step's cut, so it
      // takes them for ruled lines and the first reading comes out short; the plain pass keeps
      // them (measured: first pass 8 of 12 characters, score 0.16; plain pass 0.35).
      const lines = ["二十三日土曜", "正月に一二三"];
      const result = await recognizePage(await bigWriting(lines, 250), pool, { layout: "auto" });
      const { passes, chosen } = result.path;
      expect(passes).toHaveLength(2);
      expect(chosen).toBe(1);
      expect(passes[1]!.notes).toContain("plain");
      expect(passes[1]!.score).toBeGreaterThan(passes[0]!.score);
      expect(result.layout).toBe("horizontal");
      expect(cer(lines.join("\n"), result.text).cer).toBeLessThan(0.2);
    },
  );
});

describe("a notebook page with a printed header", () => {
  it(
    "leaves out the empty printed No./Date header and keeps the writing",
    { timeout: 120_000 },
    async () => {
      // Tesseract reads the printed header as a line of its own (「No Date」 on this page without
      // the filter); staff would delete it from every draft.
      const lines = [
        "今日は公園を歩きました。",
        "桜がきれいに咲いていました。",
        "また行きたいです。",
      ];
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1500" height="2000"><rect width="100%" height="100%" fill="#fbfaf6"/><g font-family="DejaVu Sans" font-size="40" fill="#555"><text x="120" y="150">No.</text><text x="1050" y="150">Date</text></g><g stroke="#999" stroke-width="2"><line x1="200" y1="156" x2="1000" y2="156"/><line x1="1150" y1="156" x2="1420" y2="156"/></g>${lines
        .map(
          (line, i) =>
            `<text x="120" y="${330 + i * 110}" font-family="Klee One" font-size="52" fill="#111">${line}</text>`,
        )
        .join("")}</svg>`;
      const viewing = await viewingImage(
        await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer(),
      );
      const result = await recognizePage(viewing, pool, { layout: "auto" });
      expect(result.layout).toBe("horizontal");
      expect(result.text).not.toMatch(/no|date/i);
      expect(cer(lines.join("\n"), result.text).cer).toBeLessThan(0.15);
    },
  );
});
