/**
 * OCR preprocessing for phone photos of notebook pages. Responsible for turning a photo into a
 * clean, upright, greyscale image of the handwriting at the size Tesseract reads best, for the
 * transform that maps boxes back onto the viewing image, and for the box of the straightened sheet
 * of paper that people are shown (the page crop). Not responsible for recognition.
 *
 * Steps, each kept because it lowered CER on the dev set (docs/benchmarks.md):
 *  1. flatten uneven lighting: divide by a background estimated with a grey closing (which
 *     removes the ink) on a small copy;
 *  2. deskew by a projection-profile search over ±10°;
 *  3. remove ruled lines and page edges: long thin structures found by grey opening;
 *  4. stretch contrast, dropping faint marks (show-through, printed header) to white;
 *  5. estimate the writing size from connected components, crop to the writing and scale so
 *     characters are about 22 px high; the writing direction is measured on this clean image.
 */
import sharp, { type Sharp } from "sharp";
// Relative, not ~/: this module also runs in worker threads (prepare-worker.mjs).
import { MIN_ANGLE, type CropGeometry } from "../utils/crop-map";
import {
  closing,
  components,
  maxPool2,
  minPool2,
  opening,
  otsu,
  histogramPercentile,
  percentile,
  rectFilter,
  upsample2,
  type Component,
  type Grey,
} from "./morphology";

export type Layout = "horizontal" | "vertical";

export interface Transform {
  /** Deskew angle applied to the viewing image, degrees (positive = counter-clockwise correction). */
  angle: number;
  /** Working image size (the viewing image scaled by `base`). */
  viewWidth: number;
  viewHeight: number;
  /** Size of the rotated (expanded) canvas. */
  rotWidth: number;
  rotHeight: number;
  cropLeft: number;
  cropTop: number;
  scale: number;
  /** Working image size / viewing image size. */
  base: number;
}

export interface PreparedPage {
  image: Grey;
  transform: Transform;
  /**
   * Whether rows (horizontal writing) or columns (vertical) gave the sharper projection of the
   * cleaned writing (`writingDirection`: rules, page edges and blobs already gone, so a margin
   * line or the sheet's edge cannot pass for columns).
   */
  layoutHint: Layout;
  /** How much sharper the winning projection is than the other (1 = no difference). */
  layoutRatio: number;
  /** Estimated line pitch on the deskewed viewing image, px. */
  pitch: number;
  /** The sheet of paper (and all the writing) on the straightened working image. */
  pageBox: { left: number; top: number; width: number; height: number };
  /** What the checks after each step decided (see `PrepareNote`), in the order they happened. */
  notes: PrepareNote[];
  /** Marks about a character high in the prepared image: the amount of writing to expect. */
  marks: number;
}

/**
 * Steps that looked wrong on this page and were skipped or changed, recorded with the result
 * and shown to staff: a page is never lost to a step that threw its writing away.
 * - `red-channel`: coloured (blue) ink read on the red channel, where it is darkest;
 * - `paper-kept-whole`: the paper mask looked wrong (no desk around a scan) and was not used;
 * - `faint-ink`: pale writing (pencil) given a softer contrast cut;
 * - `wide-pen`: strokes as wide as dark blobs (a thick marker), so the blob step was skipped;
 * - `plain`: prepared without the mask, blob and rule steps (the second pass).
 */
export type PrepareNote = "red-channel" | "paper-kept-whole" | "faint-ink" | "wide-pen" | "plain";

export interface PrepareOptions {
  /** Only lighting, deskew, contrast and scaling: the fallback when the full path reads poorly. */
  plain?: boolean;
}

/** Character size the page is scaled to for tesseract. Chosen on the generated tune set (26 → 22 px:
 * 15.5 → 14.9 % CER, and faster); 19 and 34 px were worse. */
const TARGET_CHAR_PX = 22;
const WORK_LONG_SIDE = 2000;
/** Grey levels by which the sheet must be brighter, on average, than what surrounds it. */
const MIN_PAPER_CONTRAST = 30;

export async function toGrey(input: Sharp): Promise<Grey> {
  const { data, info } = await input.greyscale().raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

export function fromGrey(img: Grey) {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 1 },
  });
}

/**
 * The working image in grey: luminance, or the red channel when that shows the ink with clearly
 * more contrast — blue ballpoint is dark in red and light in luminance's green and blue share,
 * while black ink and pencil are the same in both.
 */
export async function inkGrey(input: Sharp): Promise<{ grey: Grey; red: boolean }> {
  const rgb = await input.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const size = { width: rgb.info.width, height: rgb.info.height };
  const luma = await toGrey(sharp(rgb.data, { raw: rgb.info }));
  if (rgb.info.channels < 3) return { grey: luma, red: false };
  const n = size.width * size.height;
  const red = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += rgb.info.channels) red[i] = rgb.data[j]!;
  // Contrast of the writing: the paper (median) against the darkest marks (0.5th percentile).
  const contrast = (d: Uint8Array) => percentile(d, 0.5) - percentile(d, 0.005);
  const useRed = contrast(red) > contrast(luma.data) * 1.15 + 8;
  return { grey: useRed ? { data: red, ...size } : luma, red: useRed };
}

/**
 * A pixel divided by the paper's brightness around it: paper comes out at 245 whatever the light.
 * (The handwriting trainer's `--pipeline-look` flattens its lines with this too.)
 */
export function divideOut(value: number, paper: number) {
  return Math.min(255, Math.round((value / paper) * 245));
}

/**
 * Step 1: divide by the paper's brightness so shadows and gradients disappear. Also returns the
 * sheet of paper it found (a mask at a quarter of the size), for the page crop.
 */
export async function flatten(
  img: Grey,
  options: { mask?: boolean } = {},
): Promise<{ image: Grey; paper: Grey; maskFailed: boolean }> {
  const factor = 4;
  const small = await toGrey(
    fromGrey(img).resize(
      Math.max(1, Math.round(img.width / factor)),
      Math.max(1, Math.round(img.height / factor)),
      {
        kernel: "linear",
      },
    ),
  );
  // Window wider than the largest character (≈ 70 px on the viewing image).
  const background = closing(small, 21);
  const bg = await toGrey(
    fromGrey(background).blur(2).resize(img.width, img.height, { kernel: "linear" }),
  );
  const found = options.mask === false ? null : paperMask(background);
  const smallPaper = found ?? {
    data: new Uint8Array(background.data.length).fill(255),
    width: background.width,
    height: background.height,
  };
  const paper = await toGrey(
    fromGrey(smallPaper).resize(img.width, img.height, { kernel: "nearest" }),
  );
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++)
    out[i] = paper.data[i]! ? divideOut(img.data[i]!, Math.max(bg.data[i]!, 16)) : 255;
  return {
    image: { data: out, width: img.width, height: img.height },
    paper: smallPaper,
    maskFailed: options.mask !== false && found === null,
  };
}

/**
 * The sheet of paper: the largest bright region of the background estimate (the desk, the
 * cover and the shadows around it are darker), shrunk a little to drop its edges. Null when
 * what it found cannot be a sheet: too small, or a ring or frame rather than a solid shape (the
 * white lid of a flatbed scanner around a cream page), so that the caller keeps everything.
 *
 * A hard shadow across the sheet makes the shaded part of the paper as dark as the desk, and
 * Otsu's cut then leaves it outside, with the writing on it. So a second, lower cut (Otsu's
 * again, among what the first left out) is tried too: when it still finds a sheet — solid, and
 * clearly brighter than what is around it — that holds the first, it is kept instead.
 */
function paperMask(background: Grey): Grey | null {
  const threshold = otsu(background.data);
  const lit = sheetAt(background, threshold);
  const darker = background.data.filter((v) => v <= threshold);
  if (darker.length < background.data.length * 0.05) return lit?.mask ?? null;
  const low = otsu(darker);
  const shaded = low < threshold - 10 ? sheetAt(background, low) : null;
  if (
    shaded &&
    (!lit ||
      (holds(shaded.mask, lit.mask) && area(lit.mask) < area(shaded.mask) * SHADED_SHEET_RATIO))
  )
    return shaded.mask;
  return lit?.mask ?? null;
}

/**
 * The lower cut's sheet replaces the first only when the first is much smaller: a shadow took a
 * large part of the sheet. When the two are close, the extra is the desk or the cover's edge,
 * whose texture would be read as writing.
 */
const SHADED_SHEET_RATIO = 0.7;

function area(mask: Grey) {
  let n = 0;
  for (const v of mask.data) if (v) n++;
  return n;
}

/** Whether `outer` covers (nearly) all of `inner`. */
function holds(outer: Grey, inner: Grey) {
  let innerSize = 0;
  let covered = 0;
  for (let i = 0; i < inner.data.length; i++) {
    if (!inner.data[i]) continue;
    innerSize++;
    if (outer.data[i]) covered++;
  }
  return covered >= innerSize * 0.95;
}

/** The sheet as the largest region brighter than `threshold`, or null when it is not a sheet. */
function sheetAt(background: Grey, threshold: number): { mask: Grey } | null {
  const { width, height, data } = background;
  const labels = new Int32Array(width * height).fill(-1);
  let bestLabel = -1;
  let bestSize = 0;
  const stack: number[] = [];
  let label = 0;
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== -1 || data[start]! <= threshold) continue;
    let size = 0;
    stack.push(start);
    labels[start] = label;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % width;
      const y = (i - x) / width;
      const neighbours = [
        x > 0 ? i - 1 : -1,
        x < width - 1 ? i + 1 : -1,
        y > 0 ? i - width : -1,
        y < height - 1 ? i + width : -1,
      ];
      for (const n of neighbours) {
        if (n >= 0 && labels[n] === -1 && data[n]! > threshold) {
          labels[n] = label;
          stack.push(n);
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      bestLabel = label;
    }
    label++;
  }
  // A mask that covers almost nothing means the threshold failed (e.g. a flat scan).
  if (bestSize < data.length * 0.1) return null;
  // A sheet has no holes: what the region encloses (dense writing can darken the background
  // estimate) is paper too. Only what connects to the image's border is outside.
  const outsideMark = -2;
  for (let x = 0; x < width; x++) stack.push(x, (height - 1) * width + x);
  for (let y = 0; y < height; y++) stack.push(y * width, y * width + width - 1);
  while (stack.length) {
    const i = stack.pop()!;
    if (labels[i] === bestLabel || labels[i] === outsideMark) continue;
    labels[i] = outsideMark;
    const x = i % width;
    const y = (i - x) / width;
    if (x > 0) stack.push(i - 1);
    if (x < width - 1) stack.push(i + 1);
    if (y > 0) stack.push(i - width);
    if (y < height - 1) stack.push(i + width);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== outsideMark && labels[i] !== bestLabel) {
      labels[i] = bestLabel;
      bestSize++;
    }
  }
  // Paper everywhere (a scan filled edge to edge): there is nothing to mask.
  if (data.length - bestSize <= data.length * 0.02) return null;
  const mask = new Uint8Array(width * height);
  let minX = width;
  let maxX = 0;
  let minY = height;
  let maxY = 0;
  let inside = 0;
  let outside = 0;
  for (let i = 0; i < mask.length; i++) {
    if (labels[i] !== bestLabel) {
      outside += data[i]!;
      continue;
    }
    inside += data[i]!;
    mask[i] = 255;
    const x = i % width;
    const y = (i - x) / width;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // A sheet, even turned 10° and in perspective, fills most of its bounding box; a frame does not.
  const fill = bestSize / ((maxX - minX + 1) * (maxY - minY + 1));
  if (fill < 0.6) return null;
  // A sheet stands out from what is around it (a desk, a cover, shadow). A white page on a
  // scanner's white lid does not: Otsu then splits the paper along faint shading, and the
  // "mask" runs through the writing. Unless the rest is clearly darker, keep everything.
  const contrast = inside / bestSize - outside / (data.length - bestSize);
  if (contrast < MIN_PAPER_CONTRAST) return null;
  return { mask: rectFilter({ data: mask, width, height }, 5, 5, false) };
}

/**
 * Step 2: the angle whose row or column projection of ink is sharpest (largest sum of squares).
 * Rows win on horizontal writing and ruled pages, columns on vertical writing. Which way the
 * writing runs is measured later, on the cleaned image (`writingDirection`).
 */
export function findSkew(img: Grey): number {
  const step = 2;
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let y = 0; y < img.height; y += step) {
    for (let x = 0; x < img.width; x += step) {
      const v = img.data[y * img.width + x]!;
      if (v < 225) {
        xs.push(x);
        ys.push(y);
        ws.push(225 - v);
      }
    }
  }
  if (xs.length < 100) return 0;
  const diag = Math.ceil(Math.hypot(img.width, img.height) / 2) + 2;
  const rows = new Float64Array(diag * 2);
  const cols = new Float64Array(diag * 2);
  const score = (deg: number) => {
    const t = (deg * Math.PI) / 180;
    const c = Math.cos(t) / 2;
    const s = Math.sin(t) / 2;
    rows.fill(0);
    cols.fill(0);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const y = ys[i]!;
      rows[Math.round(-x * s + y * c) + diag]! += ws[i]!;
      cols[Math.round(x * c + y * s) + diag]! += ws[i]!;
    }
    return Math.max(sumOfSquares(rows), sumOfSquares(cols));
  };
  let best = { angle: 0, value: -1 };
  const consider = (deg: number) => {
    const value = score(deg);
    if (value > best.value) best = { angle: deg, value };
  };
  for (let deg = -10; deg <= 10; deg += 0.5) consider(deg);
  const coarse = best.angle;
  for (let deg = coarse - 0.4; deg <= coarse + 0.4; deg += 0.1) consider(Math.round(deg * 10) / 10);
  return best.angle;
}

function sumOfSquares(values: Float64Array) {
  let sum = 0;
  for (const v of values) sum += v * v;
  return sum;
}

/**
 * Pen strokes are thin; what is dark and wide (the cover's edge, shadows, the desk showing
 * through) is not writing. A black top-hat keeps only dark details narrower than the window.
 */
export function removeBlobs(img: Grey): { image: Grey; skipped: boolean } {
  const ink = new Uint8Array(img.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = 255 - img.data[i]!;
  // Found on a half-size min-pooled copy (a quarter of the work): there thin strokes fade and
  // close strokes of a dense kanji do not merge, while solid areas stay solid.
  const opened = opening(minPool2({ data: ink, width: img.width, height: img.height }), 8);
  if (writingIsWide(opened)) return { image: img, skipped: true };
  // Grown by a pixel so that the blob's soft edge goes with it.
  const small = rectFilter(opened, 3, 3, true);
  const wide = upsample2(small, img.width, img.height);
  const out = new Uint8Array(ink.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - Math.max(0, ink[i]! - wide[i]!);
  return { image: { data: out, width: img.width, height: img.height }, skipped: false };
}

/** Dark areas no larger than this (half-size px) and clear of the edges could be characters. */
const CHARACTER_SIZED = 150;
/** This many of them mean the pen is as wide as the blob window: the writing, not blobs. */
const WIDE_WRITING_MARKS = 10;

/**
 * The check after the blob step: shadows, the desk and a cover's edge are few and large or run
 * off the picture; when many separate dark areas of a character's size are left, they are the
 * strokes of a thick marker or felt pen, and taking them away would take the writing.
 */
function writingIsWide(opened: Grey) {
  const { width, height } = opened;
  const dark = new Uint8Array(opened.data.length);
  for (let i = 0; i < dark.length; i++) dark[i] = opened.data[i]! >= 100 ? 1 : 0;
  let sized = 0;
  for (const c of components(dark, width, height)) {
    const edge = c.left === 0 || c.top === 0 || c.right === width - 1 || c.bottom === height - 1;
    const size = Math.max(c.right - c.left, c.bottom - c.top) + 1;
    if (!edge && c.area >= 20 && size < CHARACTER_SIZED) sized++;
  }
  return sized >= WIDE_WRITING_MARKS;
}

/** Step 4: long straight rules and page edges are wider (or taller) than any character. */
export function removeLines(img: Grey, pitch: number): Grey {
  const { width, height } = img;
  const ink = new Uint8Array(img.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = 255 - img.data[i]!;
  // Rules are found on a half-size max-pooled copy: max pooling keeps 1 px lines whole.
  const small = maxPool2({ data: ink, width, height });
  const length = Math.max(20, Math.round(pitch * 1.1));
  // Thicken first so that rules which are not perfectly straight still survive the opening.
  const horizontal = opening(rectFilter(small, 1, 3, true), length, 1);
  const vertical = opening(rectFilter(small, 3, 1, true), 1, length);
  const lines = new Uint8Array(small.data.length);
  for (let i = 0; i < lines.length; i++)
    lines[i] = Math.max(horizontal.data[i]!, vertical.data[i]!);
  const mask = upsample2({ data: lines, width: small.width, height: small.height }, width, height);
  const out = new Uint8Array(ink.length);
  for (let i = 0; i < out.length; i++) out[i] = 255 - Math.max(0, ink[i]! - mask[i]!);
  return { data: out, width, height };
}

/**
 * Step 5: keep the writing, send faint marks to white, stretch the rest. Pale writing (pencil:
 * even its darkest marks are light) gets a higher white cut, else its strokes would go with the
 * show-through. The cut is found for the page and then for each tile of it: a tile whose own
 * darkest marks are pale while the page's are not (a pencil line on a page written in pen) gets
 * the pale cut too, blended between tile centres so that no seam shows.
 */
export function stretch(img: Grey): { image: Grey; faint: boolean } {
  const { width, height, data } = img;
  const dark = percentile(data, 0.002);
  const faint = dark > FAINT_DARKEST;
  const white = faint ? PALE_WHITE : INK_WHITE;
  const lo = Math.min(dark, white - MIN_RANGE);
  const out = new Uint8Array(data.length);
  const tiles = faint ? null : paleTiles(img, lo, white);
  if (!tiles) {
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = cut(v, lo, white);
    for (let i = 0; i < out.length; i++) out[i] = lut[data[i]!]!;
    return { image: { data: out, width, height }, faint };
  }
  const { cols, rows, los, whites } = tiles;
  // Bilinear between tile centres: first down the rows of tiles, then along the row of pixels.
  const rowLo = new Float32Array(cols);
  const rowWhite = new Float32Array(cols);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(rows - 1, Math.max(0, (y + 0.5) / TILE - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(rows - 1, y0 + 1);
    const ay = fy - y0;
    for (let tx = 0; tx < cols; tx++) {
      rowLo[tx] = los[y0 * cols + tx]! * (1 - ay) + los[y1 * cols + tx]! * ay;
      rowWhite[tx] = whites[y0 * cols + tx]! * (1 - ay) + whites[y1 * cols + tx]! * ay;
    }
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(cols - 1, Math.max(0, (x + 0.5) / TILE - 0.5));
      const x0 = fx | 0;
      const x1 = x0 + 1 < cols ? x0 + 1 : x0;
      const ax = fx - x0;
      const l = rowLo[x0]! * (1 - ax) + rowLo[x1]! * ax;
      const w = rowWhite[x0]! * (1 - ax) + rowWhite[x1]! * ax;
      out[row + x] = cut(data[row + x]!, l, w);
    }
  }
  return { image: { data: out, width, height }, faint: true };
}

/** The white cut: lighter than this is paper (show-through, faint marks) … */
const INK_WHITE = 205;
/** … and for pale writing, whose strokes are close to the show-through. */
const PALE_WHITE = 225;
/** Levels kept at least between the darkest marks and the white cut. */
const MIN_RANGE = 60;

function cut(v: number, lo: number, white: number) {
  return v >= white ? 255 : Math.max(0, Math.round(((v - lo) / (white - lo)) * 255));
}

/** Tiles of the working image for the local contrast cut. */
const TILE = 80;
/** A tile whose darkest marks are lighter than this holds no writing (paper, show-through). */
const NO_WRITING_DARKEST = 200;

/** Tiles in a row (or column) of pale tiles that make a line of pale writing. */
const PALE_RUN = 4;

/** The cut of each tile, or null when no tile holds pale writing on a page written darker. */
function paleTiles(img: Grey, lo: number, white: number) {
  const { width, height, data } = img;
  const cols = Math.ceil(width / TILE);
  const rows = Math.ceil(height / TILE);
  const los = new Float32Array(cols * rows).fill(lo);
  const whites = new Float32Array(cols * rows).fill(white);
  const hist = new Uint32Array(256);
  const pale = new Float32Array(cols * rows);
  let any = false;
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      hist.fill(0);
      const yEnd = Math.min(height, (ty + 1) * TILE);
      const xEnd = Math.min(width, (tx + 1) * TILE);
      for (let y = ty * TILE; y < yEnd; y++)
        for (let x = tx * TILE; x < xEnd; x++) hist[data[y * width + x]!]!++;
      // The tile's darkest few pixels (no pen stroke, not even its edge, reaches in) and its
      // darkest 1 % (enough pale marks to be writing).
      const n = (yEnd - ty * TILE) * (xEnd - tx * TILE);
      const darkest = histogramPercentile(hist, n, 0.002);
      const tileDark = histogramPercentile(hist, n, 0.01);
      if (darkest > FAINT_DARKEST && tileDark < NO_WRITING_DARKEST)
        pale[ty * cols + tx] = Math.min(tileDark, PALE_WHITE - MIN_RANGE);
    }
  }
  // A line of pale writing crosses several tiles; a lone pale tile is desk or paper texture.
  const run = (i: number, step: number, limit: (j: number) => boolean) => {
    let n = 0;
    for (let j = i; limit(j) && pale[j]! > 0; j += step) n++;
    return n;
  };
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      const i = ty * cols + tx;
      if (!pale[i]) continue;
      const across = run(i, 1, (j) => j < (ty + 1) * cols) + run(i, -1, (j) => j >= ty * cols) - 1;
      const down = run(i, cols, (j) => j < rows * cols) + run(i, -cols, (j) => j >= 0) - 1;
      if (Math.max(across, down) < PALE_RUN) continue;
      los[i] = pale[i]!;
      whites[i] = PALE_WHITE;
      any = true;
    }
  }
  return any ? { cols, rows, los, whites } : null;
}

/** Darkest marks lighter than this (after flattening) are pale writing, e.g. pencil. */
const FAINT_DARKEST = 120;

/**
 * Writing size from connected components of the cleaned image: most kana and many kanji are
 * one component about a character high, so a high percentile of component heights is close.
 * Also how many marks of writing size there are (the amount of writing to expect).
 */
export function measureMarks(img: Grey): { charPx: number | null; marks: number } {
  const { width, height, data } = img;
  const dark = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) dark[i] = data[i]! < 128 ? 1 : 0;
  const sizes: number[] = [];
  for (const c of components(dark, width, height)) {
    const h = c.bottom - c.top + 1;
    const w = c.right - c.left + 1;
    if (c.area >= 30 && h < 200 && w < 200) sizes.push(Math.max(h, w));
  }
  if (sizes.length < 10) return { charPx: null, marks: sizes.length };
  sizes.sort((a, b) => a - b);
  const charPx = sizes[Math.floor(sizes.length * 0.8)]!;
  // Marks at least a third of a character: strokes and whole characters, not specks.
  let marks = 0;
  for (const size of sizes) if (size * 3 >= charPx) marks++;
  return { charPx, marks };
}

/**
 * The sheet of paper on the straightened working image: the paper mask (a quarter-size copy,
 * shrunk a little) turned by the deskew angle, cut where its rows and columns are well covered
 * so that a bright spur of desk joined to the sheet does not widen the box, then grown back by
 * the shrink and a small margin. Null when the mask is everything (a flat scan: no desk to cut).
 */
export function paperBox(
  paper: Grey,
  work: { width: number; height: number },
  angle: number,
  rotated: { width: number; height: number },
) {
  const sx = work.width / paper.width;
  const sy = work.height / paper.height;
  const rad = (angle * Math.PI) / 180;
  const cos = Math.abs(angle) < MIN_ANGLE ? 1 : Math.cos(rad);
  const sin = Math.abs(angle) < MIN_ANGLE ? 0 : Math.sin(rad);
  const bin = 4;
  const rows = new Uint32Array(Math.ceil(rotated.height / bin) + 1);
  const cols = new Uint32Array(Math.ceil(rotated.width / bin) + 1);
  let covered = 0;
  for (let y = 0; y < paper.height; y++) {
    for (let x = 0; x < paper.width; x++) {
      if (!paper.data[y * paper.width + x]) continue;
      covered++;
      const dx = (x + 0.5) * sx - work.width / 2;
      const dy = (y + 0.5) * sy - work.height / 2;
      // The turn sharp's rotate(-angle) applies (see toViewingBox for the inverse).
      const rx = dx * cos + dy * sin + rotated.width / 2;
      const ry = -dx * sin + dy * cos + rotated.height / 2;
      rows[Math.min(rows.length - 1, Math.max(0, Math.floor(ry / bin)))]!++;
      cols[Math.min(cols.length - 1, Math.max(0, Math.floor(rx / bin)))]!++;
    }
  }
  if (covered === paper.data.length) return null;
  const span = (p: Uint32Array) => {
    let max = 0;
    for (const v of p) max = Math.max(max, v);
    let first = 0;
    while (first < p.length - 1 && p[first]! < max * 0.2) first++;
    let last = p.length - 1;
    while (last > first && p[last]! < max * 0.2) last--;
    return [first * bin, (last + 1) * bin] as const;
  };
  const [top, bottom] = span(rows);
  const [left, right] = span(cols);
  // The mask was shrunk by 2 px at a quarter of the size; give that back, and a little more.
  const grow = Math.round(2 * Math.max(sx, sy) + Math.max(rotated.width, rotated.height) * 0.01);
  const x0 = Math.max(0, left - grow);
  const y0 = Math.max(0, top - grow);
  const x1 = Math.min(rotated.width, right + grow);
  const y1 = Math.min(rotated.height, bottom + grow);
  if (x1 - x0 < rotated.width * 0.1 || y1 - y0 < rotated.height * 0.1) return null;
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Which way the writing runs, measured on the cleaned image (rules, page edges and blobs gone):
 * the sharper of the row and column projections, and how much sharper.
 */
export function writingDirection(img: Grey): { layout: Layout; ratio: number } {
  const rows = new Float64Array(img.height);
  const cols = new Float64Array(img.width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const ink = 255 - img.data[y * img.width + x]!;
      rows[y]! += ink;
      cols[x]! += ink;
    }
  }
  const r = sumOfSquares(rows);
  const q = sumOfSquares(cols);
  return {
    layout: r >= q ? "horizontal" : "vertical",
    ratio: Math.max(r, q) / Math.max(1, Math.min(r, q)),
  };
}

/** Step 6: the box around the writing, ignoring specks. */
export function contentBox(img: Grey, pitch: number) {
  const { width, height } = img;
  const rows = new Uint32Array(height);
  const cols = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (img.data[y * width + x]! < 128) {
        rows[y]!++;
        cols[x]!++;
      }
    }
  }
  const span = (p: Uint32Array, min: number) => {
    let first = -1;
    let last = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i]! >= min) {
        if (first < 0) first = i;
        last = i;
      }
    }
    return first < 0 ? [0, p.length - 1] : [first, last];
  };
  const [top, bottom] = span(rows, 2);
  const [left, right] = span(cols, 2);
  const margin = Math.round(Math.max(pitch, 20) * 0.6);
  const x0 = Math.max(0, left! - margin);
  const y0 = Math.max(0, top! - margin);
  const x1 = Math.min(width, right! + margin + 1);
  const y1 = Math.min(height, bottom! + margin + 1);
  return { left: x0, top: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

/**
 * Prepares the viewing image (already upright and metadata-free) for recognition. Each step is
 * checked and skipped when it looks wrong on this page (see `PrepareNote`); `plain` skips the
 * mask, blob and rule steps altogether.
 */
export async function preparePage(
  viewing: Buffer,
  options: PrepareOptions = {},
): Promise<PreparedPage> {
  const notes: PrepareNote[] = [];
  if (options.plain) notes.push("plain");
  const meta = await sharp(viewing).metadata();
  const fullWidth = meta.width ?? 0;
  const fullHeight = meta.height ?? 0;
  // Work on at most WORK_LONG_SIDE px: enough for the writing sizes seen on notebook photos,
  // and the pixel loops cost in proportion to the area.
  const base = Math.min(1, WORK_LONG_SIDE / Math.max(fullWidth, fullHeight, 1));
  const { grey: original, red } = await inkGrey(
    base < 1
      ? sharp(viewing).resize(Math.round(fullWidth * base), Math.round(fullHeight * base), {
          kernel: "lanczos3",
        })
      : sharp(viewing),
  );
  if (red) notes.push("red-channel");
  const flattened = await flatten(original, { mask: !options.plain });
  if (flattened.maskFailed) notes.push("paper-kept-whole");
  let flat = flattened.image;
  if (!options.plain) {
    const blobs = removeBlobs(flat);
    if (blobs.skipped) notes.push("wide-pen");
    flat = blobs.image;
  }
  const angle = findSkew(flat);
  const rotated =
    Math.abs(angle) < MIN_ANGLE
      ? flat
      : await toGrey(fromGrey(flat).rotate(-angle, { background: { r: 255, g: 255, b: 255 } }));
  // Rules are longer than ~2 characters; 70 px is beyond the largest writing on a 2000 px view.
  const stretched = stretch(options.plain ? rotated : removeLines(rotated, 70));
  if (stretched.faint) notes.push("faint-ink");
  const cleaned = stretched.image;
  const measured = measureMarks(cleaned);
  const charPx = measured.charPx ?? 30;
  const pitch = charPx * 1.8;
  const box = contentBox(cleaned, pitch);
  const direction = writingDirection(cleaned);
  // The page to show people: the sheet, and never less than the writing.
  const sheet = paperBox(flattened.paper, original, angle, rotated) ?? {
    left: 0,
    top: 0,
    width: rotated.width,
    height: rotated.height,
  };
  const pageLeft = Math.min(sheet.left, box.left);
  const pageTop = Math.min(sheet.top, box.top);
  const pageBox = {
    left: pageLeft,
    top: pageTop,
    width: Math.max(sheet.left + sheet.width, box.left + box.width) - pageLeft,
    height: Math.max(sheet.top + sheet.height, box.top + box.height) - pageTop,
  };
  const scale = Math.min(2, TARGET_CHAR_PX / Math.max(charPx, 8));
  const image = await toGrey(
    fromGrey(cleaned)
      .extract(box)
      .resize(
        Math.max(1, Math.round(box.width * scale)),
        Math.max(1, Math.round(box.height * scale)),
        {
          kernel: "lanczos3",
        },
      ),
  );
  return {
    image,
    layoutHint: direction.layout,
    layoutRatio: direction.ratio,
    pitch,
    pageBox,
    notes,
    marks: measured.marks,
    transform: {
      angle,
      viewWidth: original.width,
      viewHeight: original.height,
      base,
      rotWidth: rotated.width,
      rotHeight: rotated.height,
      cropLeft: box.left,
      cropTop: box.top,
      scale: image.width / box.width,
    },
  };
}

/** Maps a box on the prepared image back onto the viewing image (axis-aligned bounds). */
export function toViewingBox(
  t: Transform,
  box: { x0: number; y0: number; x1: number; y1: number },
) {
  const rad = (t.angle * Math.PI) / 180;
  // sharp's rotate(-angle) turned the image by -angle around its centre onto an expanded canvas.
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const corners = [
    [box.x0, box.y0],
    [box.x1, box.y0],
    [box.x0, box.y1],
    [box.x1, box.y1],
  ].map(([x, y]) => {
    const rx = x! / t.scale + t.cropLeft - t.rotWidth / 2;
    const ry = y! / t.scale + t.cropTop - t.rotHeight / 2;
    // Undo a rotation by -angle (image y axis points down).
    const vx = rx * cos - ry * sin + t.viewWidth / 2;
    const vy = rx * sin + ry * cos + t.viewHeight / 2;
    return [vx / t.base, vy / t.base] as const;
  });
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const clamp = (v: number, max: number) => Math.round(Math.min(Math.max(v, 0), max));
  return {
    x0: clamp(Math.min(...xs), t.viewWidth / t.base),
    y0: clamp(Math.min(...ys), t.viewHeight / t.base),
    x1: clamp(Math.max(...xs), t.viewWidth / t.base),
    y1: clamp(Math.max(...ys), t.viewHeight / t.base),
  };
}

/**
 * The page box as a crop of the viewing image: the deskew angle and the box in viewing-image
 * pixels, its corner measured from the centre (see app/utils/crop-map.ts).
 */
export function toViewingCrop(t: Transform, box: PreparedPage["pageBox"]): CropGeometry {
  return {
    angle: Math.abs(t.angle) < MIN_ANGLE ? 0 : t.angle,
    left: (box.left - t.rotWidth / 2) / t.base,
    top: (box.top - t.rotHeight / 2) / t.base,
    width: box.width / t.base,
    height: box.height / t.base,
  };
}

export async function encodePng(img: Grey): Promise<Buffer> {
  return fromGrey(img).png({ compressionLevel: 1 }).toBuffer();
}

/** A line's box on the prepared image, as Tesseract gives it. */
export interface LineBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Lighter than this is paper on the prepared image (the stretch sends paper to 255). */
const MARK_EDGE = 230;
/** White around a line cut out on its own, in prepared-image px. */
const LINE_PAD = 12;

/** The marks of a prepared image, labelled once for all the lines cut from it. */
export interface PageMarks {
  image: Grey;
  /** Each pixel's mark (index in `found` + 1), 0 for paper. */
  labels: Int32Array;
  found: Component[];
}

export function pageMarks(image: Grey): PageMarks {
  const { width, height, data } = image;
  const dark = new Uint8Array(data.length);
  // Marks down to their grey edges: pale (pencil) strokes are mostly grey after the stretch.
  for (let i = 0; i < data.length; i++) dark[i] = data[i]! < MARK_EDGE ? 1 : 0;
  const labels = new Int32Array(data.length);
  return { image, labels, found: components(dark, width, height, labels) };
}

/**
 * One line of the prepared image on its own: the marks whose centre lies in its box and nearer
 * its middle than any other line's (across the writing direction), on white. Where Tesseract's
 * boxes overlap (a rising line, a crossed-out word) the line's own cut holds half of the lines
 * above and below; this one holds only its own marks. Null when no mark belongs to it.
 */
export function isolateLine(
  marks: PageMarks,
  boxes: LineBox[],
  index: number,
  layout: Layout,
): { image: Grey; left: number; top: number } | null {
  const { image: img, labels, found } = marks;
  const { width, height, data } = img;
  const box = boxes[index]!;
  // Across the writing: y for horizontal lines, x for vertical columns.
  const across = (b: LineBox): [number, number] =>
    layout === "horizontal" ? [b.y0, b.y1] : [b.x0, b.x1];
  const along = (b: LineBox): [number, number] =>
    layout === "horizontal" ? [b.x0, b.x1] : [b.y0, b.y1];
  const keep = new Uint8Array(found.length + 1);
  let kept = 0;
  found.forEach((c, n) => {
    const cx = (c.left + c.right) / 2;
    const cy = (c.top + c.bottom) / 2;
    const [a, b] = layout === "horizontal" ? [cy, cx] : [cx, cy];
    const inBox = (l: LineBox) => {
      const [lo, hi] = across(l);
      const [s, e] = along(l);
      return a >= lo && a <= hi && b >= s && b <= e;
    };
    if (!inBox(box)) return;
    const distance = (l: LineBox) => Math.abs(a - (across(l)[0] + across(l)[1]) / 2);
    const own = distance(box);
    if (boxes.some((l, i) => i !== index && inBox(l) && distance(l) < own)) return;
    keep[n + 1] = 1;
    kept++;
  });
  if (!kept) return null;
  const left = Math.max(0, box.x0 - LINE_PAD);
  const top = Math.max(0, box.y0 - LINE_PAD);
  const right = Math.min(width, box.x1 + LINE_PAD);
  const bottom = Math.min(height, box.y1 + LINE_PAD);
  const w = Math.max(1, right - left);
  const h = Math.max(1, bottom - top);
  const out = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (top + y) * width + left + x;
      // Kept marks at full strength; the grey fringe of kept strokes comes with them.
      if (keep[labels[i]!]) out[y * w + x] = data[i]!;
      else if (
        !labels[i] &&
        data[i]! < 255 &&
        nearKept(labels, keep, width, height, left + x, top + y)
      )
        out[y * w + x] = data[i]!;
    }
  }
  return { image: { data: out, width: w, height: h }, left, top };
}

/** Whether a pixel touches a kept mark (its anti-aliased edge). */
function nearKept(
  labels: Int32Array,
  keep: Uint8Array,
  width: number,
  height: number,
  x: number,
  y: number,
) {
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx >= 0 && ny >= 0 && nx < width && ny < height && keep[labels[ny * width + nx]!])
        return true;
    }
  }
  return false;
}
