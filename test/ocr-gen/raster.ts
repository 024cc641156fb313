/**
 * Plain typed-array helpers for what sharp cannot do on its own: smooth random fields, the
 * projective transform of a photographed page, and normal deviates for sensor noise. Rasters are
 * row-major, interleaved, 8 bits per channel unless said otherwise.
 */
import sharp from "sharp";
import type { Rng } from "./rng";

/**
 * A smooth random field in 0..255 with features about `cellPx` wide: a coarse grid of random
 * values enlarged by sharp. `cellX`/`cellY` differ for streaky fields such as wood grain.
 */
export async function smoothNoise(
  width: number,
  height: number,
  cellX: number,
  rng: Rng,
  cellY = cellX,
): Promise<Uint8Array> {
  const gw = Math.max(2, Math.ceil(width / cellX) + 1);
  const gh = Math.max(2, Math.ceil(height / cellY) + 1);
  const grid = new Uint8Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.uint32() & 0xff;
  if (gw === width && gh === height) return grid;
  const data = await sharp(grid, { raw: { width: gw, height: gh, channels: 1 } })
    .resize(width, height, { fit: "fill", kernel: gw > width || gh > height ? "nearest" : "cubic" })
    .raw()
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Per-pixel white noise in 0..255. */
export function whiteNoise(length: number, rng: Rng): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 4) {
    const v = rng.uint32();
    out[i] = v & 0xff;
    if (i + 1 < length) out[i + 1] = (v >>> 8) & 0xff;
    if (i + 2 < length) out[i + 2] = (v >>> 16) & 0xff;
    if (i + 3 < length) out[i + 3] = v >>> 24;
  }
  return out;
}

/** 65 536 standard normal deviates to draw from by index (sensor noise needs millions). */
export function normalTable(rng: Rng): Float32Array {
  const table = new Float32Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = rng.normal();
  return table;
}

export type Point = [number, number];

/** A 3×3 projective transform, row-major, h[8] = 1. */
export type Homography = Float64Array;

/** The homography that maps the four `from` points onto the four `to` points. */
export function homographyFromPoints(from: Point[], to: Point[]): Homography {
  // Eight equations in h0..h7 (h8 = 1), solved by Gaussian elimination with partial pivoting.
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++)
      if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error("degenerate homography");
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const factor = a[r]![col]! / p;
      if (factor === 0) continue;
      for (let c = col; c < 9; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  const h = new Float64Array(9);
  for (let i = 0; i < 8; i++) h[i] = a[i]![8]! / a[i]![i]!;
  h[8] = 1;
  return h;
}

export function applyHomography(h: Homography, x: number, y: number): Point {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

export function invertHomography(h: Homography): Homography {
  const [a, b, c, d, e, f, g, i, j] = Array.from(h) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * j - f * i;
  const B = -(d * j - f * g);
  const C = d * i - e * g;
  const det = a * A + b * B + c * C;
  const inv = new Float64Array([
    A,
    -(b * j - c * i),
    b * f - c * e,
    B,
    a * j - c * g,
    -(a * f - c * d),
    C,
    -(a * i - b * g),
    a * e - b * d,
  ]);
  for (let k = 0; k < 9; k++) inv[k] = inv[k]! / det;
  const s = inv[8]!;
  for (let k = 0; k < 9; k++) inv[k] = inv[k]! / s;
  return inv;
}

/** Multiplies two homographies: the result applies `second` after `first`. */
export function composeHomography(second: Homography, first: Homography): Homography {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += second[r * 3 + k]! * first[k * 3 + c]!;
      out[r * 3 + c] = s;
    }
  }
  const s = out[8]!;
  for (let k = 0; k < 9; k++) out[k] = out[k]! / s;
  return out;
}

export function translation(dx: number, dy: number): Homography {
  return new Float64Array([1, 0, dx, 0, 1, dy, 0, 0, 1]);
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.replace("#", ""), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

export function rgbToHex([r, g, b]: readonly number[]): string {
  return `#${[r, g, b].map((v) => Math.round(v!).toString(16).padStart(2, "0")).join("")}`;
}

/** Enlarges (or shrinks) an interleaved raster with sharp. */
export async function resizeRaw(
  data: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  toWidth: number,
  toHeight: number,
): Promise<Uint8Array> {
  const out = await sharp(data, { raw: { width, height, channels } })
    .resize(toWidth, toHeight, { fit: "fill", kernel: "cubic" })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Renders an SVG and returns its alpha channel (the coverage of what it draws). */
export async function svgAlpha(svg: string, blurSigma = 0): Promise<Uint8Array> {
  let img = sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3);
  if (blurSigma >= 0.3) img = img.blur(blurSigma);
  const out = await img.raw().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Renders an SVG to interleaved RGB. */
export async function svgRgb(svg: string): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
