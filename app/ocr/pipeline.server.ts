/**
 * The OCR pipeline for one page: viewing image → preprocessing → layout detection → recognition
 * → draft text with lines, confidences and boxes on the viewing image. The same function serves
 * the job runner, the `npm run ocr` command and the benchmark, so they cannot drift apart.
 */
import sharp from "sharp";
import { postCorrectLine } from "./postcorrect";
import type { CropGeometry } from "~/utils/crop-map";
import { toViewingBox, toViewingCrop, type Layout } from "./preprocess.server";
import type { OcrLine, RawRecognition, TesseractPool } from "./tesseract-pool.server";

export type LayoutChoice = Layout | "auto";

/** Row and column projections this different mean the page's direction is plain to see. */
const CLEAR_LAYOUT_RATIO = 1.5;
const RECHECK_BELOW_CONFIDENCE = 60;

export interface PageRecognition {
  text: string;
  layout: Layout;
  confidence: number;
  lines: OcrLine[];
  /** The straightened sheet of paper on the viewing image, for the page crop people look at. */
  crop: CropGeometry;
  timings: { prepareMs: number; recognizeMs: number; totalMs: number };
}

function meanConfidence(r: RawRecognition) {
  let chars = 0;
  let sum = 0;
  for (const line of r.lines) {
    const n = Array.from(line.text).length;
    chars += n;
    sum += line.confidence * n;
  }
  return chars ? sum / chars : 0;
}

/** Lines made of a stray mark or two, read with little confidence, are noise, not writing. */
function isNoise(line: OcrLine) {
  const length = Array.from(line.text).length;
  return (length <= 2 && line.confidence < 50) || line.confidence < 20;
}

export async function recognizePage(
  viewing: Buffer,
  pool: TesseractPool,
  options: { layout?: LayoutChoice } = {},
): Promise<PageRecognition> {
  const t0 = performance.now();
  const prepared = await pool.preparer.prepare(viewing);
  const png = prepared.png;
  const t1 = performance.now();

  let layout: Layout;
  let raw: RawRecognition;
  if (options.layout && options.layout !== "auto") {
    layout = options.layout;
    raw = await pool.recognize(png, layout);
  } else if (prepared.layoutRatio >= CLEAR_LAYOUT_RATIO) {
    // Rules or columns make the direction plain; the other model is tried only if the first
    // reads the page poorly (writing across the rules).
    layout = prepared.layoutHint;
    raw = await pool.recognize(png, layout);
    if (meanConfidence(raw) < RECHECK_BELOW_CONFIDENCE) {
      const other: Layout = layout === "horizontal" ? "vertical" : "horizontal";
      const second = await pool.recognize(png, other);
      if (meanConfidence(second) > meanConfidence(raw)) {
        layout = other;
        raw = second;
      }
    }
  } else {
    // No clear direction: both models read a half-size copy; the more confident one wins.
    const half = await sharp(png)
      .resize(Math.max(1, Math.round(prepared.width / 2)))
      .png({ compressionLevel: 1 })
      .toBuffer();
    const [h, v] = await Promise.all([
      pool.recognize(half, "horizontal"),
      pool.recognize(half, "vertical"),
    ]);
    layout = meanConfidence(v) > meanConfidence(h) ? "vertical" : "horizontal";
    raw = await pool.recognize(png, layout);
  }
  const t2 = performance.now();

  const lines = raw.lines
    .filter((line) => !isNoise(line))
    .map((line) => ({
      ...line,
      text: postCorrectLine(line.text),
      bbox: toViewingBox(prepared.transform, line.bbox),
    }));
  return {
    text: lines.map((l) => l.text).join("\n"),
    layout,
    confidence: Math.round(meanConfidence({ lines, confidence: raw.confidence }) * 10) / 10,
    lines,
    crop: toViewingCrop(prepared.transform, prepared.pageBox),
    timings: {
      prepareMs: Math.round(t1 - t0),
      recognizeMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
    },
  };
}
