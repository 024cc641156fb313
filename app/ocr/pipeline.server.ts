/**
 * The OCR pipeline for one page: viewing image → preprocessing → layout detection → recognition
 * → draft text with lines, confidences and boxes on the viewing image. The same function serves
 * the job runner, the `npm run ocr` command and the benchmark, so they cannot drift apart.
 */
import sharp from "sharp";
import { isPrintedHeader, postCorrectLine } from "./postcorrect";
import type { CropGeometry } from "~/utils/crop-map";
import {
  encodePng,
  isolateLine,
  pageMarks,
  toGrey,
  toViewingBox,
  toViewingCrop,
  type Layout,
  type PrepareNote,
} from "./preprocess.server";
import type { PreparedPng } from "./prepare-pool.server";
import type { OcrLine, RawRecognition, TesseractPool } from "./tesseract-pool.server";

export type LayoutChoice = Layout | "auto";

/** Row and column projections this different mean the page's direction is plain to see. */
const CLEAR_LAYOUT_RATIO = 1.5;
const RECHECK_BELOW_CONFIDENCE = 60;
/**
 * The other model must beat the first by this many confidence points per unit of layout ratio:
 * the clearer the rules or columns, the surer it must be. The handwriting models read sideways
 * writing with more confidence than the printed ones did (two horizontal `tune` pages with ratios
 * 2.1 and 3.3 were switched to vertical by 7 and 15 points).
 */
const RECHECK_MARGIN_PER_RATIO = 6;

/** One reading of the page: how it was prepared and how well it read. */
export interface OcrPass {
  notes: PrepareNote[];
  layout: Layout;
  confidence: number;
  chars: number;
  /** Characters expected from the marks of writing size on the prepared image. */
  expected: number;
  /** `quality()`: confidence × the share of the expected characters read, 0–1. */
  score: number;
}

/** How the draft was made, kept with the job: every pass and which one was kept. */
export interface OcrPath {
  passes: OcrPass[];
  chosen: number;
}

export interface PageRecognition {
  text: string;
  path: OcrPath;
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

const NOISE_MAX_CHARS = 4;

/**
 * Lines made of a stray mark or two, read with little confidence, are noise, not writing. A longer
 * line is kept however unsure Tesseract is: on hasty handwriting it gives whole lines that are
 * mostly right a confidence near 0, and a line half right costs staff less than a line missing.
 */
function isNoise(line: OcrLine) {
  const length = Array.from(line.text).length;
  return (
    (length <= 2 && line.confidence < 50) || (length <= NOISE_MAX_CHARS && line.confidence < 20)
  );
}

/** Marks of writing size per character, measured on the development pages (strokes that touch
 * make one mark; a kanji often makes two or three). */
const MARKS_PER_CHAR = 1.6;
/** A reading below this quality gets a second pass with the plain preparation. */
const SECOND_PASS_BELOW = 0.45;

function countChars(lines: OcrLine[]) {
  let n = 0;
  for (const line of lines) n += Array.from(line.text.replace(/\s/g, "")).length;
  return n;
}

/**
 * The score that picks between passes: mean confidence (0–1) times the share of the expected
 * characters that were read (capped at 1). A near-empty reading scores near 0 however sure
 * Tesseract was of its few characters; a full reading of noise scores low on confidence.
 */
export function quality(confidence: number, chars: number, expected: number) {
  return (confidence / 100) * Math.min(1, chars / Math.max(1, expected));
}

async function readPrepared(
  prepared: PreparedPng,
  pool: TesseractPool,
  choice: LayoutChoice,
): Promise<{ layout: Layout; raw: RawRecognition }> {
  const png = prepared.png;
  if (choice !== "auto") return { layout: choice, raw: await pool.recognize(png, choice) };
  if (prepared.layoutRatio >= CLEAR_LAYOUT_RATIO) {
    // Rules or columns make the direction plain; the other model is tried only if the first
    // reads the page poorly (writing across the rules).
    let layout = prepared.layoutHint;
    let raw = await pool.recognize(png, layout);
    if (meanConfidence(raw) < RECHECK_BELOW_CONFIDENCE) {
      const other: Layout = layout === "horizontal" ? "vertical" : "horizontal";
      const second = await pool.recognize(png, other);
      const margin = RECHECK_MARGIN_PER_RATIO * prepared.layoutRatio;
      if (meanConfidence(second) > meanConfidence(raw) + margin) {
        layout = other;
        raw = second;
      }
    }
    return { layout, raw };
  }
  // No clear direction: both models read a half-size copy; the more confident one wins.
  const half = await sharp(png)
    .resize(Math.max(1, Math.round(prepared.width / 2)))
    .png({ compressionLevel: 1 })
    .toBuffer();
  const [h, v] = await Promise.all([
    pool.recognize(half, "horizontal"),
    pool.recognize(half, "vertical"),
  ]);
  const layout: Layout = meanConfidence(v) > meanConfidence(h) ? "vertical" : "horizontal";
  return { layout, raw: await pool.recognize(png, layout) };
}

/** Lines read with less confidence than this are read again on their own. */
const REREAD_BELOW = 60;
/** The line read alone must be this much surer to replace the line read with its page. */
const REREAD_MARGIN = 10;

/**
 * Tesseract cuts a line as the box around it; where a line rises or a word is crossed out, the
 * boxes of neighbouring lines overlap and each cut holds parts of the others, read as noise with
 * little confidence. Such lines are read again from their own marks only (`isolateLine`), and the
 * new reading is kept when Tesseract is clearly surer of it.
 */
async function rereadUnsureLines(
  prepared: PreparedPng,
  raw: RawRecognition,
  layout: Layout,
  pool: TesseractPool,
): Promise<RawRecognition> {
  const unsure = raw.lines.flatMap((line, i) => (line.confidence < REREAD_BELOW ? [i] : []));
  if (!unsure.length) return raw;
  const marks = pageMarks(await toGrey(sharp(prepared.png)));
  const boxes = raw.lines.map((line) => line.bbox);
  const lines = [...raw.lines];
  for (const i of unsure) {
    const cut = isolateLine(marks, boxes, i, layout);
    if (!cut) continue;
    const again = await pool.recognize(await encodePng(cut.image), layout);
    if (!again.lines.length) continue;
    const confidence = meanConfidence(again);
    if (confidence < lines[i]!.confidence + REREAD_MARGIN) continue;
    let offset = 0;
    const unsureAt: number[] = [];
    for (const line of again.lines) {
      for (const at of line.unsure) unsureAt.push(offset + at);
      offset += Array.from(line.text).length;
    }
    lines[i] = {
      text: again.lines.map((line) => line.text).join(""),
      confidence,
      bbox: lines[i]!.bbox,
      unsure: unsureAt,
    };
  }
  return { lines, confidence: raw.confidence };
}

export async function recognizePage(
  viewing: Buffer,
  pool: TesseractPool,
  options: { layout?: LayoutChoice } = {},
): Promise<PageRecognition> {
  const t0 = performance.now();
  const choice = options.layout ?? "auto";
  let prepareMs = 0;
  const attempt = async (plain: boolean) => {
    const started = performance.now();
    const prepared = await pool.preparer.prepare(viewing, { plain });
    prepareMs += performance.now() - started;
    const read = await readPrepared(prepared, pool, choice);
    const layout = read.layout;
    const raw = await rereadUnsureLines(prepared, read.raw, layout, pool);
    const lines = raw.lines.filter((line) => !isNoise(line) && !isPrintedHeader(line.text));
    const confidence = meanConfidence({ lines, confidence: raw.confidence });
    return { prepared, layout, lines, confidence, chars: countChars(lines) };
  };
  type Attempt = Awaited<ReturnType<typeof attempt>>;
  const summary = (a: Attempt, expected: number): OcrPass => ({
    notes: a.prepared.notes,
    layout: a.layout,
    confidence: Math.round(a.confidence * 10) / 10,
    chars: a.chars,
    expected: Math.round(expected),
    score: Math.round(quality(a.confidence, a.chars, expected) * 1000) / 1000,
  });

  const first = await attempt(false);
  let expected = first.prepared.marks / MARKS_PER_CHAR;
  const attempts = [first];
  if (quality(first.confidence, first.chars, expected) < SECOND_PASS_BELOW) {
    // Some step may have thrown the writing away: read the page again prepared plainly, and
    // keep whichever reading scores better against the larger expectation of the two.
    const second = await attempt(true);
    expected = Math.max(expected, second.prepared.marks / MARKS_PER_CHAR);
    attempts.push(second);
  }
  const passes = attempts.map((a) => summary(a, expected));
  const chosen = passes.reduce((best, p, i) => (p.score > passes[best]!.score ? i : best), 0);
  const kept = attempts[chosen]!;
  const t2 = performance.now();

  const lines = kept.lines.map((line) => ({
    ...line,
    text: postCorrectLine(line.text),
    bbox: toViewingBox(kept.prepared.transform, line.bbox),
  }));
  return {
    text: lines.map((l) => l.text).join("\n"),
    layout: kept.layout,
    confidence: Math.round(meanConfidence({ lines, confidence: 0 }) * 10) / 10,
    lines,
    crop: toViewingCrop(first.prepared.transform, first.prepared.pageBox),
    path: { passes, chosen },
    timings: {
      prepareMs: Math.round(prepareMs),
      recognizeMs: Math.round(t2 - t0 - prepareMs),
      totalMs: Math.round(t2 - t0),
    },
  };
}
