/**
 * A simulated writer: draws a line (横書き) or a column (縦書き) of Japanese stroke by stroke from
 * the KanjiVG centre lines (../shared/kanjivg, CC BY-SA 3.0, Ulrich Apel and contributors), bent
 * the way one person's hand bends them.
 *
 * A writer is drawn once per line: pen (ballpoint, gel, felt with tapering ends, pencil), size,
 * slant, rise to the right (右上がり), how much smaller the kana are, spacing, how far shapes stray
 * (mess), haste (shortened ends, joins between strokes) and a shaky hand (with `pipelineLook`, also
 * width against height). Every character then gets a smooth warp, every stroke a small shift, turn and resize, trimmed or overshot ends and a
 * wobble. Characters KanjiVG lacks (digits, Latin letters, most punctuation) are written with a
 * handwriting font in the same ink. Some lines are wholly in a handwriting font.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { escapeXml, HAND_FONTS } from "../ocr-gen/fonts";
import { REPO_ROOT } from "../ocr-gen/texts";
import type { Rng } from "../ocr-gen/rng";
import { divideOut, stretch, toGrey } from "../../app/ocr/preprocess.server";
import type { Grey } from "../../app/ocr/morphology";

type Point = [number, number];
export type Layout = "horizontal" | "vertical";

interface StrokeData {
  chars: Record<string, string[]>;
}

let strokeData: StrokeData | null = null;
const polylineCache = new Map<string, Point[][]>();

export const KANJIVG_PATH = path.join(REPO_ROOT, "..", "shared", "kanjivg", "strokes.json");

/** Reads the stroke data (../shared/kanjivg by default; tests use a small subset). */
export function loadStrokeData(file: string): void {
  strokeData = JSON.parse(fs.readFileSync(file, "utf8")) as StrokeData;
  polylineCache.clear();
}

function strokes(): StrokeData {
  if (!strokeData) loadStrokeData(KANJIVG_PATH);
  return strokeData!;
}

export function hasStrokes(ch: string): boolean {
  return ch in strokes().chars;
}

/** Flattens a KanjiVG path (M, C, S, relative or absolute) into a polyline in the 109 box. */
export function flattenPath(d: string): Point[] {
  const tokens = d.match(/[MmCcSs]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  const out: Point[] = [];
  let i = 0;
  let cmd = "M";
  let x = 0;
  let y = 0;
  let lastCtrl: Point | null = null;
  const num = () => Number(tokens[i++]);
  const cubic = (p1: Point, p2: Point, p3: Point) => {
    const p0: Point = [x, y];
    for (let t = 1; t <= 8; t++) {
      const u = t / 8;
      const a = (1 - u) ** 3;
      const b = 3 * (1 - u) ** 2 * u;
      const c = 3 * (1 - u) * u ** 2;
      const e = u ** 3;
      out.push([
        a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
        a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1],
      ]);
    }
    lastCtrl = p2;
    [x, y] = p3;
  };
  while (i < tokens.length) {
    if (/[MmCcSs]/.test(tokens[i]!)) cmd = tokens[i++]!;
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? x : 0;
    const oy = rel ? y : 0;
    switch (cmd.toUpperCase()) {
      case "M":
        x = ox + num();
        y = oy + num();
        out.push([x, y]);
        lastCtrl = null;
        cmd = rel ? "c" : "C";
        break;
      case "C": {
        const p1: Point = [ox + num(), oy + num()];
        const p2: Point = [ox + num(), oy + num()];
        const p3: Point = [ox + num(), oy + num()];
        cubic(p1, p2, p3);
        break;
      }
      case "S": {
        const p1: Point = lastCtrl ? [2 * x - lastCtrl[0], 2 * y - lastCtrl[1]] : [x, y];
        const p2: Point = [ox + num(), oy + num()];
        const p3: Point = [ox + num(), oy + num()];
        cubic(p1, p2, p3);
        break;
      }
      default:
        i++;
    }
  }
  return out;
}

function charStrokes(ch: string): Point[][] {
  let cached = polylineCache.get(ch);
  if (!cached) {
    cached = (strokes().chars[ch] ?? []).map(flattenPath);
    polylineCache.set(ch, cached);
  }
  return cached;
}

export type Pen = "ballpoint" | "gel" | "felt" | "pencil";

export interface Writer {
  pen: Pen;
  /** Stroke width in units of the character size. */
  width: number;
  slantDeg: number;
  riseDeg: number;
  kanaScale: number;
  /** Advance per character in units of the character size. */
  advance: number;
  spacingSd: number;
  mess: number;
  speed: number;
  tremor: boolean;
  baselineAmp: number;
  /** Ink darkness 0 (black) to 255. */
  ink: number;
  /** Width of the writer's characters against their height (1 unless `pipelineLook`). */
  aspect: number;
  /**
   * How far back (in character sizes, at most) a horizontal 、 or 。 is tucked against the
   * character before it (0 unless `tuckStops`).
   */
  stopTuck: number;
}

export interface RenderOptions {
  /**
   * Lines as the pipeline hands them to tesseract (training run 3, the shipped models; see
   * docs/decisions/034): 80 % flattened and contrast-stretched by the pipeline's own step,
   * characters 18–28 px (the pipeline's 22 px), and writers of varied width. Off, lines are made
   * exactly as for the run-2 models.
   */
  pipelineLook?: boolean;
  /** One writer for every line of a page (a diary entry is written with one pen). */
  writer?: Writer;
  /** Every character drawn from strokes, never from a font. */
  strokesOnly?: boolean;
  /**
   * Training runs 4 and 5 (docs/decisions/035, not shipped): in horizontal lines most writers
   * put 、 and 。 close against the character before, often touching it, instead of in a cell of
   * their own. Off, lines are made exactly as for the run-3 models (the shipped ones).
   */
  tuckStops?: boolean;
}

export function drawWriter(r: Rng, options: RenderOptions = {}): Writer {
  const pen = r.pick<Pen>(["ballpoint", "ballpoint", "gel", "felt", "pencil"]);
  const width =
    { ballpoint: 0.045, gel: 0.06, felt: 0.095, pencil: 0.05 }[pen] * r.uniform(0.75, 1.35);
  return {
    pen,
    width,
    slantDeg: r.normal(0, 5),
    riseDeg: Math.max(-2, r.normal(4, 3)),
    kanaScale: r.uniform(0.7, 0.95),
    advance: r.uniform(0.88, 1.15),
    spacingSd: r.uniform(0.02, 0.1),
    mess: r.uniform(0.4, 1.6),
    speed: r.uniform(0, 1),
    tremor: r.chance(0.15),
    baselineAmp: r.uniform(0, 0.12),
    ink: pen === "pencil" ? r.int(70, 130) : r.int(0, 60),
    aspect: options.pipelineLook ? r.uniform(0.85, 1.15) : 1,
    stopTuck: options.tuckStops && r.chance(0.8) ? r.uniform(0.3, 0.6) : 0,
  };
}

const SMALL_KANA = new Set(Array.from("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"));
const TURN_IN_COLUMN = new Set(Array.from("ー「」『』（）…〜～-―"));

function isKana(ch: string): boolean {
  return /[\u3040-\u30ff]/.test(ch);
}

/** A smooth random warp of the unit square (two low-order sine fields). */
function warpOf(r: Rng, amount: number) {
  const a = [r.normal(0, amount), r.normal(0, amount), r.normal(0, amount), r.normal(0, amount)];
  const ph = [r.uniform(0, 6.3), r.uniform(0, 6.3), r.uniform(0, 6.3), r.uniform(0, 6.3)];
  return ([x, y]: Point): Point => [
    x + a[0]! * Math.sin(Math.PI * y + ph[0]!) + a[1]! * Math.sin(2 * Math.PI * x + ph[1]!),
    y + a[2]! * Math.sin(Math.PI * x + ph[2]!) + a[3]! * Math.sin(2 * Math.PI * y + ph[3]!),
  ];
}

function pathD(points: Point[]): string {
  return points
    .map(([x, y], i) => `${i === 0 ? "M" : "L"}${x.toFixed(1)} ${y.toFixed(1)}`)
    .join("");
}

/** Trims or extends a polyline at its ends by a share of its length. */
function trimEnds(points: Point[], start: number, end: number): Point[] {
  if (points.length < 2) return points;
  const out = points.slice();
  const extend = (from: Point, to: Point, share: number): Point => [
    to[0] + (to[0] - from[0]) * share * 3,
    to[1] + (to[1] - from[1]) * share * 3,
  ];
  if (start < 0) out[0] = extend(out[1]!, out[0]!, -start);
  else if (start > 0) out.splice(0, Math.min(out.length - 2, Math.round(start * out.length)));
  const last = out.length - 1;
  if (end < 0) out[last] = extend(out[last - 1]!, out[last]!, -end);
  else if (end > 0) out.splice(Math.max(2, out.length - Math.round(end * out.length)));
  return out;
}

function inkColour(w: Writer): string {
  return `rgb(${w.ink},${w.ink},${w.ink})`;
}

/**
 * Draws one character into the cell whose top-left is (x, y) and size s (pixels). Returns SVG
 * elements.
 */
function drawChar(
  ch: string,
  x: number,
  y: number,
  s: number,
  w: Writer,
  r: Rng,
  layout: Layout,
  fontFamily: string,
): string {
  const colour = inkColour(w);
  const small = SMALL_KANA.has(ch);
  let scale = isKana(ch) ? w.kanaScale : 1;
  if (small) scale *= 0.75;
  let dx = 0;
  let dy = 0;
  if (layout === "vertical" && small) {
    dx = s * 0.12;
    dy = -s * 0.1;
  }
  const turn = layout === "vertical" && TURN_IN_COLUMN.has(ch) ? 90 : 0;
  if (layout === "vertical" && (ch === "、" || ch === "。")) {
    dx = s * 0.55;
    dy = -s * 0.55;
  }
  const cx = x + s / 2 + dx + r.normal(0, 0.03 * s * w.mess);
  const cy = y + s / 2 + dy + r.normal(0, 0.03 * s * w.mess);
  const rot = r.normal(0, 2.5 * w.mess) + turn;

  if (!hasStrokes(ch)) {
    const size = s * scale * r.uniform(0.85, 1.0);
    return `<text x="${cx.toFixed(1)}" y="${(cy + size * 0.36).toFixed(1)}" font-family="${fontFamily}" font-size="${size.toFixed(1)}" text-anchor="middle" fill="${colour}" transform="rotate(${rot.toFixed(1)} ${cx.toFixed(1)} ${cy.toFixed(1)})">${escapeXml(ch)}</text>`;
  }

  const warp = warpOf(r, 0.025 * w.mess);
  const slant = Math.tan((w.slantDeg * Math.PI) / 180);
  const rise = Math.tan((w.riseDeg * Math.PI) / 180);
  const k = (s * scale * r.uniform(0.88, 1.05)) / 109;
  const cos = Math.cos((rot * Math.PI) / 180);
  const sin = Math.sin((rot * Math.PI) / 180);
  const place = ([px, py]: Point): Point => {
    // Unit square → warp → centred pixels → slant and rise → turn → cell.
    const [ux, uy] = warp([px / 109, py / 109]);
    let X = (ux - 0.5) * 109 * k * w.aspect;
    let Y = (uy - 0.5) * 109 * k;
    X -= Y * slant;
    Y -= X * rise * 0.6;
    return [cx + X * cos - Y * sin, cy + X * sin + Y * cos];
  };

  const parts: string[] = [];
  const base = w.width * s;
  let previousEnd: Point | null = null;
  for (const stroke of charStrokes(ch)) {
    // Per-stroke shift, turn and resize around its centre.
    const mx = stroke.reduce((a, p) => a + p[0], 0) / stroke.length;
    const my = stroke.reduce((a, p) => a + p[1], 0) / stroke.length;
    const sdx = r.normal(0, 2.2 * w.mess);
    const sdy = r.normal(0, 2.2 * w.mess);
    const sr = r.normal(0, 0.05 * w.mess);
    const ss = 1 + r.normal(0, 0.06 * w.mess);
    let pts: Point[] = stroke.map(([px, py]) => {
      const ax = (px - mx) * ss;
      const ay = (py - my) * ss;
      return [
        mx + sdx + ax * Math.cos(sr) - ay * Math.sin(sr),
        my + sdy + ax * Math.sin(sr) + ay * Math.cos(sr),
      ];
    });
    pts = trimEnds(pts, r.normal(0.02 * w.speed, 0.06), r.normal(0.05 * w.speed, 0.07));
    pts = pts.map(place);
    if (w.tremor || w.mess > 1.2) {
      const amp = (w.tremor ? 0.012 : 0.005) * s;
      pts = pts.map(([px, py]) => [px + r.normal(0, amp), py + r.normal(0, amp)]);
    }
    if (previousEnd && w.speed > 0.6 && r.chance(0.25 * w.speed)) {
      parts.push(
        `<path d="${pathD([previousEnd, pts[0]!])}" stroke="${colour}" stroke-width="${(base * 0.35).toFixed(2)}" fill="none" stroke-linecap="round" opacity="0.8"/>`,
      );
    }
    const width = base * r.uniform(0.85, 1.15);
    if (w.pen === "felt" && pts.length > 4) {
      // Tapering sweep: a thin full stroke and a thicker middle.
      const a = Math.floor(pts.length * 0.15);
      const b = Math.ceil(pts.length * 0.8);
      parts.push(
        `<path d="${pathD(pts)}" stroke="${colour}" stroke-width="${(width * 0.55).toFixed(2)}" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`,
        `<path d="${pathD(pts.slice(a, b))}" stroke="${colour}" stroke-width="${width.toFixed(2)}" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
    } else {
      parts.push(
        `<path d="${pathD(pts)}" stroke="${colour}" stroke-width="${width.toFixed(2)}" fill="none" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
    }
    previousEnd = pts[pts.length - 1]!;
  }
  return parts.join("");
}

/** The flattening step's result on a line: the paper's own level divided out to 245. */
function flattenTo(img: Grey, paper: number): Grey {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = divideOut(img.data[i]!, paper);
  return { data: out, width: img.width, height: img.height };
}

/** Characters 24–48 px, JPEG now and then: the lines of the run-2 models (without `--pipeline-look`). */
async function asCaptured(line: Grey, s: number, r: Rng): Promise<Buffer> {
  const target = r.uniform(24, 48) / s;
  let out = sharp(line.data, {
    raw: { width: line.width, height: line.height, channels: 1 },
  }).resize(
    Math.max(8, Math.round(line.width * target)),
    Math.max(8, Math.round(line.height * target)),
  );
  if (r.chance(0.3)) {
    const jpeg = await out.jpeg({ quality: r.int(35, 85) }).toBuffer();
    out = sharp(jpeg).grayscale();
  }
  return out.toColourspace("b-w").png().toBuffer();
}

/** JPEG now and then, then the pipeline's flattening and stretch, then its writing size. */
async function pipelineLook(line: Grey, paper: number, s: number, r: Rng): Promise<Buffer> {
  if (r.chance(0.3)) {
    const jpeg = await sharp(line.data, {
      raw: { width: line.width, height: line.height, channels: 1 },
    })
      .jpeg({ quality: r.int(35, 85) })
      .toBuffer();
    line = await toGrey(sharp(jpeg).grayscale());
  }
  if (r.chance(0.8)) line = stretch(flattenTo(line, paper)).image;
  const target = r.uniform(18, 28) / s;
  return sharp(line.data, { raw: { width: line.width, height: line.height, channels: 1 } })
    .resize(
      Math.max(8, Math.round(line.width * target)),
      Math.max(8, Math.round(line.height * target)),
      { kernel: "lanczos3" },
    )
    .toColourspace("b-w")
    .png()
    .toBuffer();
}

export interface LineImage {
  png: Buffer;
  text: string;
  hand: "strokes" | "font";
  writer: Writer;
}

/**
 * Renders one line (or column) of text as a greyscale PNG. `text` is what the ground truth says;
 * a crossed-out character may be drawn in addition (it is not part of the text).
 */
export async function renderLine(
  text: string,
  r: Rng,
  layout: Layout,
  options: RenderOptions = {},
): Promise<LineImage> {
  const w = options.writer ?? drawWriter(r, options);
  const fontLine = !options.strokesOnly && r.chance(0.15);
  const font = r.pick(HAND_FONTS);
  const fontFamily = `${font.family}, SetoFont`;
  const s = r.uniform(40, 64);
  const chars = Array.from(text);
  const elements: string[] = [];
  const margin = s * 0.4;
  let pos = margin;
  const across = margin;
  const phase = r.uniform(0, 6.3);
  const crossAt = r.chance(0.06) ? r.int(0, chars.length - 1) : -1;
  const drawAt = (ch: string, cellIndex: number) => {
    const tucked = layout === "horizontal" && w.stopTuck > 0 && (ch === "、" || ch === "。");
    // The stop's ink sits in the left half of its cell: moving the cell back puts it against
    // (or on) the foot of the character before.
    if (tucked) pos -= s * r.uniform(0.5, 1) * w.stopTuck;
    const wander = Math.sin(phase + cellIndex * 0.5) * w.baselineAmp * s;
    const x = layout === "horizontal" ? pos : across + wander;
    const y = layout === "horizontal" ? across + wander : pos;
    if (fontLine) {
      const size = s * (isKana(ch) ? 0.92 : 1) * r.uniform(0.9, 1.05);
      const cx = x + s / 2 + r.normal(0, 0.03 * s);
      const cy = y + s / 2 + r.normal(0, 0.03 * s);
      const turn = layout === "vertical" && TURN_IN_COLUMN.has(ch) ? 90 : 0;
      const colour = inkColour(w);
      elements.push(
        `<text x="${cx.toFixed(1)}" y="${(cy + size * 0.36).toFixed(1)}" font-family="${font.family}" font-weight="${font.weight}" font-size="${size.toFixed(1)}" text-anchor="middle" fill="${colour}" transform="rotate(${(r.normal(0, 2) + turn).toFixed(1)} ${cx.toFixed(1)} ${cy.toFixed(1)})">${escapeXml(ch)}</text>`,
      );
    } else {
      elements.push(drawChar(ch, x, y, s, w, r, layout, fontFamily));
    }
    const adv = (isKana(ch) ? w.advance * 0.92 : w.advance) + r.normal(0, w.spacingSd);
    pos += s * (tucked ? 0.55 : Math.max(0.6, adv));
  };
  chars.forEach((ch, i) => {
    if (i === crossAt) {
      // A wrong character, struck through, then the right one.
      const start = pos;
      const wrong = r.pick(chars);
      drawAt(wrong, i);
      const colour = inkColour(w);
      const a =
        layout === "horizontal"
          ? [start, across + s * 0.35, pos, across + s * 0.45]
          : [across + s * 0.3, start, across + s * 0.7, pos];
      const b =
        layout === "horizontal"
          ? [start, across + s * 0.6, pos, across + s * 0.7]
          : [across + s * 0.4, start, across + s * 0.8, pos];
      for (const [x1, y1, x2, y2] of [a, b]) {
        elements.push(
          `<line x1="${x1!.toFixed(1)}" y1="${y1!.toFixed(1)}" x2="${x2!.toFixed(1)}" y2="${y2!.toFixed(1)}" stroke="${colour}" stroke-width="${(w.width * s).toFixed(2)}" stroke-linecap="round"/>`,
        );
      }
    }
    drawAt(ch, i);
  });
  const long = Math.ceil(pos + margin);
  const short = Math.ceil(s + 2 * margin + w.baselineAmp * s * 2);
  const width = layout === "horizontal" ? long : short;
  const height = layout === "horizontal" ? short : long;

  const paper = r.int(185, 250);
  let ruling = "";
  if (r.chance(0.35)) {
    const grey = paper - r.int(15, 60);
    const at = r.uniform(0.85, 1.0) * (layout === "horizontal" ? height : width);
    ruling =
      layout === "horizontal"
        ? `<line x1="0" y1="${at.toFixed(1)}" x2="${width}" y2="${at.toFixed(1)}" stroke="rgb(${grey},${grey},${grey})" stroke-width="${r.uniform(1, 2.5).toFixed(1)}"/>`
        : `<line x1="${at.toFixed(1)}" y1="0" x2="${at.toFixed(1)}" y2="${height}" stroke="rgb(${grey},${grey},${grey})" stroke-width="${r.uniform(1, 2.5).toFixed(1)}"/>`;
  }
  const rotate = r.normal(0, 0.6);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${paper},${paper},${paper})"/>${ruling}<g transform="rotate(${rotate.toFixed(2)} ${width / 2} ${height / 2})">${elements.join("")}</g></svg>`;

  let image = sharp(Buffer.from(svg)).grayscale();
  const blur = w.pen === "pencil" ? r.uniform(0.5, 1.2) : r.chance(0.5) ? r.uniform(0.3, 1.1) : 0;
  if (blur >= 0.3) image = image.blur(blur);
  const raw = await image.raw().toBuffer({ resolveWithObject: true });
  const data = raw.data;
  // Sensor noise and pencil grain; an uneven light across the line.
  const noise = r.uniform(2, 10) + (w.pen === "pencil" ? 10 : 0);
  const light = r.uniform(-25, 10);
  for (let i = 0; i < data.length; i++) {
    const t = (i % raw.info.width) / raw.info.width;
    const v = data[i]! + r.normal(0, noise) + light * t;
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  const png = options.pipelineLook
    ? await pipelineLook({ data, width: raw.info.width, height: raw.info.height }, paper, s, r)
    : await asCaptured({ data, width: raw.info.width, height: raw.info.height }, s, r);
  return { png, text, hand: fontLine ? "font" : "strokes", writer: w };
}
