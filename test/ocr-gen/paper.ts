/**
 * The flat notebook page: paper colour and grain, the printed rules (horizontal rules, or a box of
 * column rules for 縦書き), an optional printed margin rule and "No. ____ Date ____" header, the
 * faint mirrored show-through of the entry written on the back, and the ink on top. Nothing here
 * knows about cameras; see capture.ts for that.
 */
import { PRINT_FAMILY } from "./fonts";
import { smoothNoise, svgRgb, whiteNoise } from "./raster";
import type { Rng } from "./rng";
import type { Ruling } from "./writing";

export interface PaperStyle {
  paper: string;
  ruleColor: string;
  ruleWidth: number;
}

const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

/** The printed page as SVG: paper, rules, margin rule and header. */
export function paperSvg(r: Ruling, style: PaperStyle): string {
  const { pageWidth: w, pageHeight: h } = r;
  const parts: string[] = [`<rect width="${w}" height="${h}" fill="${style.paper}"/>`];
  const line = (x1: number, y1: number, x2: number, y2: number, width = style.ruleWidth) =>
    `<line x1="${fmt(x1)}" y1="${fmt(y1)}" x2="${fmt(x2)}" y2="${fmt(y2)}" stroke-width="${fmt(width)}"/>`;
  const rules: string[] = [];
  if (r.layout === "horizontal") {
    r.rules.forEach((y, i) =>
      rules.push(line(0, y, w, y, i === 0 ? style.ruleWidth * 1.8 : style.ruleWidth)),
    );
    if (r.marginX !== null) rules.push(line(r.marginX, r.box.top, r.marginX, r.box.bottom));
  } else {
    const { left, top, right, bottom } = r.box;
    rules.push(line(left, top, right, top, style.ruleWidth * 1.8));
    rules.push(line(left, bottom, right, bottom, style.ruleWidth * 1.8));
    r.rules.forEach((x, i) =>
      rules.push(
        line(
          x,
          top,
          x,
          bottom,
          i === 0 || i === r.rules.length - 1 ? style.ruleWidth * 1.8 : style.ruleWidth,
        ),
      ),
    );
  }
  parts.push(`<g stroke="${style.ruleColor}" stroke-linecap="butt">${rules.join("")}</g>`);
  if (r.header) {
    const size = h * 0.0135;
    const y = r.box.top - h * 0.018;
    const noX = w * 0.56;
    const dateX = w * 0.74;
    parts.push(
      `<g font-family="${PRINT_FAMILY}" font-size="${fmt(size)}" fill="${style.ruleColor}">` +
        `<text x="${fmt(noX)}" y="${fmt(y)}">No.</text><text x="${fmt(dateX)}" y="${fmt(y)}">Date</text></g>`,
      `<g stroke="${style.ruleColor}">${line(noX + size * 1.9, y + size * 0.15, dateX - size, y + size * 0.15)}` +
        `${line(dateX + size * 2.8, y + size * 0.15, w * 0.95, y + size * 0.15)}</g>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${parts.join("")}</svg>`;
}

export interface InkLayer {
  /** Coverage 0..255, one byte per page pixel. */
  alpha: Uint8Array;
  /** The colour the ink takes where it fully covers white paper. */
  color: [number, number, number];
  pencil: boolean;
}

export interface ShowThrough {
  /** Coverage of the mirrored, blurred writing on the back of the sheet. */
  alpha: Uint8Array;
  color: [number, number, number];
  /** Darkening where the back writing is densest (0..1). */
  strength: number;
}

/**
 * Paper grain × show-through × ink, multiplicatively (ink filters the light the paper reflects).
 * Pencil gets uneven pressure and the grain of the paper's tooth; pens a milder pressure change.
 */
export async function composePage(
  r: Ruling,
  style: PaperStyle,
  ink: InkLayer | null,
  showThrough: ShowThrough | null,
  rng: Rng,
): Promise<Uint8Array> {
  const { pageWidth: w, pageHeight: h } = r;
  const rgb = await svgRgb(paperSvg(r, style));
  const n = w * h;
  const mottle = await smoothNoise(w, h, Math.max(8, w / 90), rng.fork("mottle"));
  const fibre = whiteNoise(n, rng.fork("fibre"));
  const pressure = ink ? await smoothNoise(w, h, Math.max(12, w / 14), rng.fork("pressure")) : null;
  const tooth = ink?.pencil ? await smoothNoise(w, h, 1.6, rng.fork("tooth")) : null;
  const toothFine = ink?.pencil ? whiteNoise(n, rng.fork("tooth-fine")) : null;
  const inkT = ink ? ink.color.map((c) => c / 255) : [0, 0, 0];
  const stT = showThrough ? showThrough.color.map((c) => c / 255) : [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const grain = 1 + ((mottle[i]! - 128) / 128) * 0.012 + ((fibre[i]! - 128) / 128) * 0.01;
    let f0 = grain;
    let f1 = grain;
    let f2 = grain;
    if (showThrough) {
      const s = (showThrough.alpha[i]! / 255) * showThrough.strength;
      if (s > 0) {
        f0 *= 1 - s * (1 - stT[0]!);
        f1 *= 1 - s * (1 - stT[1]!);
        f2 *= 1 - s * (1 - stT[2]!);
      }
    }
    if (ink) {
      let a = ink.alpha[i]! / 255;
      if (a > 0) {
        if (tooth && toothFine) {
          const p = 0.62 + (pressure![i]! / 255) * 0.45;
          const t = 0.45 + (tooth[i]! / 255) * 0.4 + (toothFine[i]! / 255) * 0.3;
          a = Math.min(1, a * p * t);
        } else {
          a *= 0.9 + (pressure![i]! / 255) * 0.12;
          if (a > 1) a = 1;
        }
        f0 *= 1 - a * (1 - inkT[0]!);
        f1 *= 1 - a * (1 - inkT[1]!);
        f2 *= 1 - a * (1 - inkT[2]!);
      }
    }
    const o = i * 3;
    rgb[o] = Math.min(255, rgb[o]! * f0);
    rgb[o + 1] = Math.min(255, rgb[o + 1]! * f1);
    rgb[o + 2] = Math.min(255, rgb[o + 2]! * f2);
  }
  return rgb;
}
