/**
 * The handwriting models (app/ocr/models/hand, issue 13) through the real pipeline: a page of
 * stroke-drawn handwriting (test/hand-model/fixture.ts: a holdout entry, never trained on, by
 * writers of a seed no training run uses) read with them and with tesseract's printed-font model
 * (the default until the small-kana regression is fixed, see docs/benchmarks.md) side by side.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cer } from "~/ocr/cer";
import { recognizePage } from "~/ocr/pipeline.server";
import { TesseractPool } from "~/ocr/tesseract-pool.server";
import { viewingImage } from "../helpers/images";
import { ROOT } from "../helpers/paths";

const DIR = path.join(ROOT, "test", "fixtures", "ocr", "hand");
const truth = JSON.parse(fs.readFileSync(path.join(DIR, "truth.json"), "utf8")) as Record<
  string,
  { layout: "horizontal" | "vertical"; text: string }
>;
const hand = new TesseractPool({ size: 1, model: "hand" });
const printed = new TesseractPool({ size: 1, model: "4.0.0" });

afterAll(async () => {
  await Promise.all([hand.close(), printed.close()]);
});

describe("handwriting model", () => {
  it("ships both models where OCR_MODEL=hand looks for them", () => {
    for (const lang of ["jpn", "jpn_vert"]) {
      const file = path.join(ROOT, "app", "ocr", "models", "hand", `${lang}.traineddata.gz`);
      expect(fs.statSync(file).size).toBeGreaterThan(1_000_000);
    }
  });

  it.each(Object.entries(truth))(
    "reads %s far better than the printed-font model",
    async (file, expected) => {
      const viewing = await viewingImage(fs.readFileSync(path.join(DIR, file)));
      const [ours, theirs] = await Promise.all([
        recognizePage(viewing, hand, { layout: "auto" }),
        recognizePage(viewing, printed, { layout: "auto" }),
      ]);
      const ourCer = cer(expected.text, ours.text).cer;
      const theirCer = cer(expected.text, theirs.text).cer;
      expect(ours.layout).toBe(expected.layout);
      // Measured when added: 24.5 % with the hand models, 46.1 % with the printed ones.
      expect(ourCer).toBeLessThan(0.32);
      expect(ourCer).toBeLessThan(theirCer - 0.1);
      // Per-character confidence marks the characters to check (「自信のない文字」): some on our
      // reading, and fewer per character than on the printed-font model's garbled one.
      const share = (r: typeof ours) => {
        const chars = r.lines.reduce((a, l) => a + Array.from(l.text).length, 0);
        const marks = r.lines.reduce((a, l) => a + l.unsure.length, 0);
        for (const l of r.lines)
          for (const i of l.unsure) expect(i).toBeLessThan(Array.from(l.text).length);
        return marks / chars;
      };
      expect(share(ours)).toBeGreaterThan(0);
      expect(share(ours)).toBeLessThan(share(theirs));
    },
  );
});
