/** The real pipeline (sharp + tesseract.js with the bundled Japanese models) on two small fixture pages. */
import fs from "node:fs";
import path from "node:path";
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
