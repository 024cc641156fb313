import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { Rng } from "../ocr-gen/rng";
import { extractComponent, intToFloat, LSTM_COMPONENT } from "./int-to-float";
import { flattenPath, renderLine, loadStrokeData } from "./writer";

const require = createRequire(import.meta.url);

function bestInt(lang: "jpn" | "jpn_vert"): Buffer {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  return zlib.gunzipSync(
    fs.readFileSync(path.join(pkg, "4.0.0_best_int", `${lang}.traineddata.gz`)),
  );
}

describe("int-to-float", () => {
  it.each(["jpn", "jpn_vert"] as const)(
    "turns the 8-bit %s model into the same float model",
    (lang) => {
      const lstm = extractComponent(bestInt(lang), LSTM_COMPONENT);
      const { output, stats } = intToFloat(lstm);

      // The network of tessdata_best's Japanese models, layer by layer.
      expect(stats.layers.map((l) => l.trim().split(" ")[1])).toEqual([
        "Series",
        "Input",
        "ConvSeries",
        "Convolve",
        "ConvNL",
        "Maxpool",
        "XYTransLSTM",
        "Lfys64",
        "Lfx96",
        "RevLSTM",
        "Lrx96",
        "Lfx512",
        "Output",
      ]);
      expect(stats.matrices).toHaveLength(18);
      // Every int8 weight became eight bytes, everything else was copied.
      const ints = stats.matrices.reduce((a, m) => a + m.rows * m.cols, 0);
      const scaleBytes = stats.matrices.reduce((a, m) => a + 4 + 8 * m.scales.length, 0);
      expect(ints).toBe(stats.weights);
      expect(output.length).toBe(lstm.length + 7 * ints - scaleBytes + 7 * stats.matrices.length);

      // w = i × factor, and requantising the row gives back exactly the stored integers.
      for (const m of stats.matrices) {
        for (const row of [0, Math.floor(m.rows / 2), m.rows - 1]) {
          const floats = Array.from({ length: m.cols }, (_, c) =>
            output.readDoubleLE(m.floatOffset + 8 * (row * m.cols + c)),
          );
          const stored = Array.from({ length: m.cols }, (_, c) =>
            lstm.readInt8(m.intOffset + row * m.cols + c),
          );
          expect(
            floats.map((f, c) => f / m.scales[row]! - stored[c]!).every((d) => Math.abs(d) < 1e-9),
          ).toBe(true);
          const maxAbs = Math.max(...floats.map(Math.abs));
          const factor = maxAbs / 127;
          if (factor > 0) expect(floats.map((f) => Math.round(f / factor))).toEqual(stored);
        }
      }
    },
  );

  it("refuses a model that is already float", () => {
    const lstm = extractComponent(bestInt("jpn"), LSTM_COMPONENT);
    const { output } = intToFloat(lstm);
    expect(() => intToFloat(output)).toThrow(/already a float model/);
  });
});

describe("writer", () => {
  loadStrokeData(path.join("test", "fixtures", "kanjivg", "strokes-subset.json"));

  it("flattens KanjiVG paths with relative and smooth curves", () => {
    const points = flattenPath("M31.01,33c0.88,0.88,2.75,1.82,5.25,1.75s20-2.12,29.5-4.25");
    expect(points[0]).toEqual([31.01, 33]);
    const last = points[points.length - 1]!;
    expect(last[0]).toBeCloseTo(31.01 + 5.25 + 29.5, 5);
    expect(last[1]).toBeCloseTo(33 + 1.75 - 4.25, 5);
  });

  it("draws a line of handwriting, the same for the same seed", async () => {
    const a = await renderLine("今日は公園でさんぽした。", new Rng("w-1"), "horizontal");
    const b = await renderLine("今日は公園でさんぽした。", new Rng("w-1"), "horizontal");
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.text).toBe("今日は公園でさんぽした。");
    expect((await sharp(a.png).metadata()).channels).toBe(1);
    const { data, info } = await sharp(a.png)
      .toColourspace("b-w")
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.width).toBeGreaterThan(info.height * 4);
    // Ink: a share of clearly dark pixels, neither empty nor a blot.
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    const dark = data.filter((v) => v < mean - 50).length / data.length;
    expect(dark).toBeGreaterThan(0.01);
    expect(dark).toBeLessThan(0.4);
  });

  it("writes columns for vertical lines", async () => {
    const line = await renderLine("「はい」と言った。", new Rng("w-2"), "vertical");
    const { width, height } = await sharp(line.png).metadata();
    expect(height!).toBeGreaterThan(width! * 3);
  });
});
