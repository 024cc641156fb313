/**
 * Handwriting: where each character of an entry goes on the flat page, and the SVG that draws it.
 *
 * Every character is placed on its own with a small random rotation, offset and size change, kana
 * a little smaller than kanji, and an optional slant. Each entry line stays one written line
 * (横書き, on the rules, left to right, top to bottom) or one column (縦書き, between the column
 * rules, top to bottom, columns from the right). On vertical pages 、 and 。 sit at the upper right
 * of their cell, small kana lean to the upper right, ー 「」 … （） are turned 90°, a two-digit
 * number shares one cell across the column (縦中横) and longer numbers stand one digit per cell.
 */
import { escapeXml, type FontMetrics, type HandFont } from "./fonts";
import type { Rng } from "./rng";

export type Layout = "horizontal" | "vertical";

export type GlyphKind =
  | "kanji"
  | "kana"
  | "smallKana"
  | "comma"
  | "period"
  | "bracket"
  | "long"
  | "digit"
  | "digitPair"
  | "narrow"
  | "other";

export interface Token {
  /** What is drawn (a 縦中横 pair is drawn with half-width digits). */
  text: string;
  kind: GlyphKind;
}

const SMALL_KANA = new Set(Array.from("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"));
const COMMAS = new Set(Array.from("、，,"));
const PERIODS = new Set(Array.from("。．."));
const BRACKETS = new Set(Array.from("「」『』（）()【】〔〕［］[]〈〉《》｛｝"));
const LONG_MARKS = new Set(Array.from("ー〜～…‥—―－-~"));
const NARROW = new Set(Array.from("！？!?・：:；;"));

function isDigit(ch: string): boolean {
  return /^[0-9０-９]$/.test(ch);
}

function halfWidthDigit(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code >= 0xff10 && code <= 0xff19 ? String.fromCodePoint(code - 0xfee0) : ch;
}

export function classify(ch: string): GlyphKind {
  if (SMALL_KANA.has(ch)) return "smallKana";
  if (COMMAS.has(ch)) return "comma";
  if (PERIODS.has(ch)) return "period";
  if (BRACKETS.has(ch)) return "bracket";
  if (LONG_MARKS.has(ch)) return "long";
  if (NARROW.has(ch)) return "narrow";
  if (isDigit(ch)) return "digit";
  const code = ch.codePointAt(0)!;
  if ((code >= 0x3040 && code <= 0x309f) || (code >= 0x30a0 && code <= 0x30ff)) return "kana";
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || ch === "々") {
    return "kanji";
  }
  return "other";
}

/** Splits a written line into cells; on vertical pages a run of exactly two digits is one cell. */
export function tokenize(line: string, layout: Layout): Token[] {
  const chars = Array.from(line);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length;) {
    const ch = chars[i]!;
    if (layout === "vertical" && isDigit(ch)) {
      let end = i;
      while (end < chars.length && isDigit(chars[end]!)) end++;
      if (end - i === 2) {
        tokens.push({ text: chars.slice(i, end).map(halfWidthDigit).join(""), kind: "digitPair" });
      } else {
        for (let k = i; k < end; k++) tokens.push({ text: chars[k]!, kind: "digit" });
      }
      i = end;
      continue;
    }
    tokens.push({ text: ch, kind: classify(ch) });
    i++;
  }
  return tokens;
}

/** Room a cell takes along the writing direction, in em, before jitter. */
export function advanceEm(kind: GlyphKind, layout: Layout, kanaScale: number): number {
  switch (kind) {
    case "kanji":
    case "other":
    case "long":
    case "digitPair":
      return 1;
    case "kana":
      return kanaScale;
    case "smallKana":
      return layout === "vertical" ? 0.8 : 0.78;
    case "comma":
    case "period":
    case "bracket":
      return layout === "vertical" ? 0.72 : 0.62;
    case "digit":
      return layout === "vertical" ? 0.85 : 0.6;
    case "narrow":
      return layout === "vertical" ? 0.8 : 0.62;
  }
}

export interface HandStyle {
  font: HandFont;
  metrics: FontMetrics;
  fontPx: number;
  /** Kana size relative to kanji. */
  kanaScale: number;
  rotationSdDeg: number;
  offsetSdEm: number;
  sizeSd: number;
  /** Forward lean of horizontal writing (0 on vertical pages). */
  slantDeg: number;
  /** Extra room between cells, in em. */
  trackingEm: number;
  /** Stroke added around the glyph outlines (pen width), in em. */
  strokeEm: number;
  /** Per-character ink density range (pressure). */
  opacity: [number, number];
}

/** Length of a line along the writing direction, in em, without jitter. */
export function lineLengthEm(
  line: string,
  layout: Layout,
  style: Pick<HandStyle, "kanaScale" | "trackingEm">,
) {
  const tokens = tokenize(line, layout);
  const cells = tokens.reduce((sum, t) => sum + advanceEm(t.kind, layout, style.kanaScale), 0);
  return cells + Math.max(0, tokens.length - 1) * style.trackingEm;
}

/** The printed ruling of the page; the writing follows it. All in flat-page pixels. */
export interface Ruling {
  layout: Layout;
  pageWidth: number;
  pageHeight: number;
  pitch: number;
  /** Horizontal: y of each rule, top down. Vertical: x of each column rule, right to left. */
  rules: number[];
  /** The ruled box: rules run from left to right (horizontal) or top to bottom (vertical). */
  box: { left: number; top: number; right: number; bottom: number };
  /** x of the printed vertical margin rule (horizontal pages only). */
  marginX: number | null;
  /** Whether the small printed "No. ____ Date ____" header is there. */
  header: boolean;
  /** Index of the first rule (horizontal) or column (vertical) that is written on. */
  firstLine: number;
  /** Where writing starts: x on horizontal pages, y on vertical pages. */
  writingStart: number;
  /** Where writing must end: x on horizontal pages, y on vertical pages. */
  writingEnd: number;
}

export interface RulingOptions {
  layout: Layout;
  pageWidth: number;
  pageHeight: number;
  pitch: number;
  marginLine: boolean;
  header: boolean;
  firstLine: number;
  rng: Rng;
}

export function makeRuling(o: RulingOptions): Ruling {
  const { pageWidth: w, pageHeight: h, pitch } = o;
  const top = h * (o.header ? 0.085 : 0.06);
  if (o.layout === "horizontal") {
    const rules: number[] = [];
    for (let y = top; y <= h * 0.965; y += pitch) rules.push(y);
    const marginX = o.marginLine ? w * o.rng.uniform(0.085, 0.12) : null;
    const writingStart = (marginX ?? w * 0.045) + w * o.rng.uniform(0.012, 0.03);
    return {
      layout: o.layout,
      pageWidth: w,
      pageHeight: h,
      pitch,
      rules,
      box: { left: 0, top, right: w, bottom: rules[rules.length - 1] ?? top },
      marginX,
      header: o.header,
      firstLine: o.firstLine,
      writingStart,
      writingEnd: w * 0.965,
    };
  }
  const side = w * 0.05;
  const columns = Math.max(1, Math.floor((w - 2 * side) / pitch));
  const right = w / 2 + (columns * pitch) / 2;
  const rules: number[] = [];
  for (let k = 0; k <= columns; k++) rules.push(right - k * pitch);
  const bottom = h * 0.955;
  return {
    layout: o.layout,
    pageWidth: w,
    pageHeight: h,
    pitch,
    rules,
    box: { left: right - columns * pitch, top, right, bottom },
    marginX: null,
    header: o.header,
    firstLine: o.firstLine,
    writingStart: top + pitch * o.rng.uniform(0.15, 0.45),
    writingEnd: bottom - pitch * 0.15,
  };
}

/** The room along the writing direction and the number of lines the ruling offers. */
export function writingRoom(r: Ruling): { length: number; lines: number } {
  // Horizontal: a line is written in the band above rule k + 1; vertical: between rules k, k + 1.
  const lines = r.rules.length - 1 - r.firstLine;
  return { length: r.writingEnd - r.writingStart, lines };
}

export interface PlacedGlyph {
  text: string;
  /** Index of the entry line (reading order). */
  line: number;
  /** Centre of the glyph's em box on the flat page. */
  x: number;
  y: number;
  size: number;
  rotateDeg: number;
  skewXDeg: number;
  scaleX: number;
  opacity: number;
}

/**
 * Places every character of `lines` on the ruling. Lines that do not fit the ruled lines are
 * dropped (only ever the case for show-through text, whose lines are not ground truth).
 */
export function placeGlyphs(
  lines: string[],
  ruling: Ruling,
  style: HandStyle,
  rng: Rng,
): PlacedGlyph[] {
  const out: PlacedGlyph[] = [];
  const f = style.fontPx;
  const { layout } = ruling;
  const room = writingRoom(ruling);
  lines.forEach((line, lineIndex) => {
    if (lineIndex >= room.lines) return;
    const slope = Math.tan((rng.normal(0, layout === "horizontal" ? 0.35 : 0.4) * Math.PI) / 180);
    const lineSize = 1 + rng.normal(0, 0.02);
    const drift = rng.normal(0, 0.04) * f;
    // Horizontal: characters sit on the rule below their band. Vertical: centred in the column.
    const k = ruling.firstLine + lineIndex;
    const across =
      layout === "horizontal"
        ? ruling.rules[k + 1]! - ruling.pitch * 0.07 - (f * lineSize) / 2 + drift
        : (ruling.rules[k]! + ruling.rules[k + 1]!) / 2 + drift;
    let along = ruling.writingStart + rng.normal(0, 0.08) * f;
    for (const token of tokenize(line, layout)) {
      const advance = advanceEm(token.kind, layout, style.kanaScale) * f * lineSize;
      const centreAlong = along + advance / 2;
      const size =
        f * lineSize * (1 + rng.normal(0, style.sizeSd)) * sizeFactor(token.kind, style.kanaScale);
      let x: number;
      let y: number;
      if (layout === "horizontal") {
        x = centreAlong;
        y = across + (centreAlong - ruling.writingStart) * slope;
      } else {
        x = across + (centreAlong - ruling.writingStart) * slope;
        y = centreAlong;
      }
      x += rng.normal(0, style.offsetSdEm) * f;
      y += rng.normal(0, style.offsetSdEm) * f;
      let rotateDeg = rng.normal(0, style.rotationSdDeg);
      let scaleX = 1 + rng.normal(0, 0.03);
      if (layout === "vertical") {
        // Where the character's ink goes in its cell (relative to the cell centre, in em).
        if (token.kind === "comma" || token.kind === "period") {
          const ink = token.kind === "comma" ? style.metrics.comma : style.metrics.period;
          x += (0.26 - ink.dx) * f;
          y += (-0.16 - ink.dy) * f;
        } else if (token.kind === "smallKana") {
          x += 0.1 * f;
          y -= 0.1 * f;
        } else if (token.kind === "bracket" || token.kind === "long") {
          rotateDeg += 90;
        } else if (token.kind === "digitPair") {
          scaleX *= 0.88;
        }
      } else if (token.kind === "comma" || token.kind === "period") {
        // Written small and low, a little left of the middle of its narrow cell.
        const ink = token.kind === "comma" ? style.metrics.comma : style.metrics.period;
        x += (-0.05 - ink.dx) * f;
        y += (0.28 - ink.dy) * f;
      }
      out.push({
        text: token.text,
        line: lineIndex,
        x,
        y,
        size,
        rotateDeg,
        skewXDeg: layout === "horizontal" ? -style.slantDeg : 0,
        scaleX,
        opacity: rng.uniform(style.opacity[0], style.opacity[1]),
      });
      along += advance + (style.trackingEm + rng.normal(0, 0.035)) * f;
    }
  });
  return out;
}

function sizeFactor(kind: GlyphKind, kanaScale: number): number {
  switch (kind) {
    case "kana":
    case "smallKana":
      return kanaScale;
    case "digit":
      return 0.95;
    case "digitPair":
      return 0.92;
    default:
      return 1;
  }
}

const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

/** The writing as an SVG in black on transparent: its alpha is the ink coverage. */
export function handwritingSvg(
  glyphs: PlacedGlyph[],
  width: number,
  height: number,
  style: Pick<HandStyle, "font" | "metrics" | "strokeEm" | "fontPx">,
): string {
  const stroke = style.strokeEm * style.fontPx;
  const texts = glyphs.map((g) => {
    const transform =
      `translate(${fmt(g.x)} ${fmt(g.y)}) rotate(${fmt(g.rotateDeg)})` +
      (g.skewXDeg ? ` skewX(${fmt(g.skewXDeg)})` : "") +
      ` scale(${fmt(g.scaleX)} 1)`;
    return (
      `<text transform="${transform}" y="${fmt(-style.metrics.emCenterY * g.size)}" ` +
      `font-size="${fmt(g.size)}" opacity="${fmt(g.opacity)}">${escapeXml(g.text)}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<g font-family="${escapeXml(style.font.family)}" font-weight="${style.font.weight}" text-anchor="middle" fill="#000"` +
    (stroke > 0.05
      ? ` stroke="#000" stroke-width="${fmt(stroke)}" stroke-linejoin="round" stroke-linecap="round"`
      : "") +
    `>${texts.join("")}</g></svg>`
  );
}
