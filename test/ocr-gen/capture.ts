/**
 * The camera (or scanner) half of the generator: where the flat page lands in the frame, the
 * notebook around it (cover, page edges, the blank facing page of an open notebook, gutter shadow
 * and page curl near the binding), the desk behind it, light (exposure, gradient, vignette, colour
 * cast, a hard shadow), optics blur, sensor noise and JPEG.
 *
 * The page is drawn into the frame by inverse mapping: every frame pixel is taken back through the
 * perspective transform (and the curl) to the notebook, which is sampled bilinearly. The notebook
 * raster is premultiplied RGBA so that its edges and the soft shadow it casts blend into the desk.
 */
import sharp from "sharp";
import {
  applyHomography,
  homographyFromPoints,
  invertHomography,
  normalTable,
  resizeRaw,
  smoothNoise,
  svgAlpha,
  type Homography,
  type Point,
} from "./raster";
import type { Rng } from "./rng";
import { backgroundTexture, type Background } from "./textures";

export type Side = "left" | "right";

export interface PlacementOptions {
  frameWidth: number;
  frameHeight: number;
  /** Page height / width. */
  aspect: number;
  rotationDeg: number;
  keystone: { horizontal: number; vertical: number };
  /** How much of the frame the (rotated) page fills along its tighter dimension. */
  fill: number;
  /** Where the page sits in the room left over, -1..1 in each direction. */
  offset: [number, number];
}

export interface Placement {
  pageWidth: number;
  pageHeight: number;
  /** Flat page pixels → frame pixels. */
  pageToFrame: Homography;
}

/** Puts the page in the frame: rotation, keystone (a squeeze of opposite edges), size, position. */
export function placePage(o: PlacementOptions): Placement {
  const b = o.aspect;
  const theta = (o.rotationDeg * Math.PI) / 180;
  const unit: Point[] = [
    [-0.5, -b / 2],
    [0.5, -b / 2],
    [0.5, b / 2],
    [-0.5, b / 2],
  ];
  const shaped = unit.map(([x, y]): Point => {
    const xs = x * (1 + o.keystone.vertical * ((2 * y) / b));
    const ys = y * (1 + o.keystone.horizontal * 2 * x);
    return [
      xs * Math.cos(theta) - ys * Math.sin(theta),
      xs * Math.sin(theta) + ys * Math.cos(theta),
    ];
  });
  const xs = shaped.map((p) => p[0]);
  const ys = shaped.map((p) => p[1]);
  const bw = Math.max(...xs) - Math.min(...xs);
  const bh = Math.max(...ys) - Math.min(...ys);
  const scale = o.fill * Math.min(o.frameWidth / bw, o.frameHeight / bh);
  const cx = o.frameWidth / 2 + (o.offset[0] * (o.frameWidth - scale * bw)) / 2;
  const cy = o.frameHeight / 2 + (o.offset[1] * (o.frameHeight - scale * bh)) / 2;
  const midX = (Math.max(...xs) + Math.min(...xs)) / 2;
  const midY = (Math.max(...ys) + Math.min(...ys)) / 2;
  const quad = shaped.map(([x, y]): Point => [cx + (x - midX) * scale, cy + (y - midY) * scale]);
  const pageWidth = Math.round(scale);
  const pageHeight = Math.round(scale * b);
  const rect: Point[] = [
    [0, 0],
    [pageWidth, 0],
    [pageWidth, pageHeight],
    [0, pageHeight],
  ];
  return { pageWidth, pageHeight, pageToFrame: homographyFromPoints(rect, quad) };
}

export interface HardShadow {
  shape: "phone" | "hand" | "edge";
  /** Light taken away inside the shadow (0..1). */
  strength: number;
  /** How far into the frame it reaches from its edge, as a fraction of the frame. */
  reach_frac: number;
  edge: "top" | "right" | "bottom" | "left";
}

export interface Lighting {
  exposure: number;
  gradient_strength: number;
  gradient_angle_deg: number;
  vignette: number;
  color_cast: "neutral" | "warm" | "cool" | "fluorescent";
  hard_shadow: HardShadow | null;
}

export interface SceneOptions {
  capture: "photo" | "scan";
  frameWidth: number;
  frameHeight: number;
  placement: Placement;
  page: Uint8Array;
  /** The blank facing page (same size as `page`) when the notebook is open. */
  facingPage: Uint8Array | null;
  bindingSide: Side;
  coverRgb: [number, number, number] | null;
  paperRgb: [number, number, number];
  background: Background;
  gutterShadow: number;
  pageCurlPx: number;
  lighting: Lighting;
  blurSigmaPx: number;
  noiseSigma: number;
  jpegQuality: number;
  rng: Rng;
}

const CASTS: Record<Lighting["color_cast"], [number, number, number]> = {
  neutral: [1, 1, 1],
  warm: [1.05, 0.99, 0.87],
  cool: [0.93, 0.99, 1.06],
  fluorescent: [0.96, 1.03, 0.97],
};

interface Notebook {
  /** Premultiplied RGBA covering plane x in [x0, x0 + width), y in [y0, y0 + height). */
  rgba: Uint8Array;
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Plane x of the binding edge of the written page. */
  bindingX: number;
}

/**
 * The notebook as seen from straight above, in "plane" coordinates where the written page spans
 * [0, pageWidth] × [0, pageHeight]. Only the part that can be seen in the frame is rasterised.
 */
function buildNotebook(
  o: SceneOptions,
  visible: { x0: number; y0: number; x1: number; y1: number },
): Notebook {
  const { pageWidth: pw, pageHeight: ph } = o.placement;
  const photo = o.capture === "photo";
  const left = o.bindingSide === "left";
  const bindingX = left ? 0 : pw;
  const facingX = o.facingPage ? (left ? -pw : pw) : null;
  // Cover board around the pages; a spine strip at the binding when the facing page is not there.
  const margin = photo ? Math.round(pw * 0.016) : 0;
  const spine = photo && !o.facingPage ? Math.round(pw * 0.022) : 0;
  const pagesX0 = Math.min(0, facingX ?? 0);
  const pagesX1 = Math.max(pw, (facingX ?? 0) + pw);
  const cover = {
    x0: pagesX0 - margin - (left ? spine : 0),
    x1: pagesX1 + margin + (left ? 0 : spine),
    y0: -margin,
    y1: ph + margin,
  };
  const shadowWidth = photo ? pw * 0.025 : 5;
  const shadowShift: Point = photo ? [pw * 0.006, pw * 0.01] : [1, 1];
  const x0 = Math.floor(Math.max(cover.x0 - shadowWidth * 2, visible.x0));
  const y0 = Math.floor(Math.max(cover.y0 - shadowWidth * 2, visible.y0));
  const x1 = Math.ceil(Math.min(cover.x1 + shadowWidth * 2, visible.x1));
  const y1 = Math.ceil(Math.min(cover.y1 + shadowWidth * 2, visible.y1));
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const rgba = new Uint8Array(width * height * 4);
  const shadowAlpha = photo ? 0.45 : 0.25;
  const coverRgb = o.coverRgb ?? [0, 0, 0];
  const edgeBand = Math.max(1.5, pw * 0.0035);
  const gutterWidth = pw * 0.05;
  const [pr, pg, pb] = o.paperRgb;
  for (let j = 0; j < height; j++) {
    const y = y0 + j + 0.5;
    for (let i = 0; i < width; i++) {
      const x = x0 + i + 0.5;
      const k = (j * width + i) * 4;
      const onPage = y >= 0 && y < ph && x >= 0 && x < pw;
      const onFacing = facingX !== null && y >= 0 && y < ph && x >= facingX && x < facingX + pw;
      let r: number;
      let g: number;
      let b: number;
      if (onPage || onFacing) {
        const src = onPage ? o.page : o.facingPage!;
        const sx = Math.min(pw - 1, Math.floor(onPage ? x : x - facingX!));
        const sy = Math.min(ph - 1, Math.floor(y));
        const s = (sy * pw + sx) * 3;
        r = src[s]!;
        g = src[s + 1]!;
        b = src[s + 2]!;
        // The outer edges of the sheets show the page stack: a slightly darker, greyer band.
        const outerSide = onPage ? (left ? pw - x : x) : left ? x - facingX! : facingX! + pw - x;
        const dEdge = Math.min(y, ph - y, outerSide);
        if (photo && dEdge < edgeBand) {
          r = pr * 0.86;
          g = pg * 0.85;
          b = pb * 0.84;
        }
        const dGutter = Math.abs(x - bindingX);
        const gutter = 1 - o.gutterShadow * Math.exp(-dGutter / gutterWidth);
        r *= gutter;
        g *= gutter;
        b *= gutter;
        rgba[k] = r;
        rgba[k + 1] = g;
        rgba[k + 2] = b;
        rgba[k + 3] = 255;
        continue;
      }
      if (o.coverRgb && x >= cover.x0 && x < cover.x1 && y >= cover.y0 && y < cover.y1) {
        const spineShade = Math.abs(x - bindingX) < spine + 1 ? 0.8 : 1;
        rgba[k] = coverRgb[0] * spineShade;
        rgba[k + 1] = coverRgb[1] * spineShade;
        rgba[k + 2] = coverRgb[2] * spineShade;
        rgba[k + 3] = 255;
        continue;
      }
      // Soft shadow the notebook (or the sheet on the glass) casts, shifted away from the light.
      const sx = x - shadowShift[0];
      const sy = y - shadowShift[1];
      const bx0 = o.coverRgb ? cover.x0 : pagesX0;
      const bx1 = o.coverRgb ? cover.x1 : pagesX1;
      const by0 = o.coverRgb ? cover.y0 : 0;
      const by1 = o.coverRgb ? cover.y1 : ph;
      const dx = Math.max(bx0 - sx, 0, sx - bx1);
      const dy = Math.max(by0 - sy, 0, sy - by1);
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < shadowWidth) {
        const t = 1 - d / shadowWidth;
        rgba[k + 3] = 255 * shadowAlpha * t * t;
      }
    }
  }
  return { rgba, x0, y0, width, height, bindingX };
}

/** The hard shadow as coverage 0..255 over the frame (drawn at quarter size, then enlarged). */
async function hardShadowMask(s: HardShadow, w: number, h: number, rng: Rng): Promise<Uint8Array> {
  const qw = Math.ceil(w / 4);
  const qh = Math.ceil(h / 4);
  // Draw as if the shadow came in from the top edge, then turn it to its edge.
  const horizontal = s.edge === "left" || s.edge === "right";
  const across = horizontal ? qh : qw; // length of the edge it comes from
  const depth = horizontal ? qw : qh; // how deep the frame is in that direction
  const reach = s.reach_frac * depth;
  const centre = across * rng.uniform(0.25, 0.75);
  const tilt = rng.uniform(-25, 25);
  const unit = Math.min(qw, qh);
  let shape: string;
  if (s.shape === "phone") {
    const pw = unit * rng.uniform(0.26, 0.34);
    const len = pw * 2.05;
    shape =
      `<g transform="translate(${centre} ${reach}) rotate(${tilt})">` +
      `<rect x="${-pw / 2}" y="${-len}" width="${pw}" height="${len}" rx="${pw * 0.14}"/></g>`;
  } else if (s.shape === "hand") {
    const palm = unit * rng.uniform(0.11, 0.14);
    const finger = palm * 0.36;
    const fingers = [-1.5, -0.5, 0.5, 1.5]
      .map((k, i) => {
        const len = palm * [1.15, 1.35, 1.3, 1.05][i]!;
        return `<rect x="${k * finger * 1.08 - finger / 2}" y="${-palm * 0.6}" width="${finger}" height="${len + palm * 0.6}" rx="${finger / 2}" transform="rotate(${k * 4})"/>`;
      })
      .join("");
    const thumb = `<rect x="${-finger / 2}" y="${-palm * 0.2}" width="${finger * 1.1}" height="${palm * 1.1}" rx="${finger / 2}" transform="translate(${palm * 0.95} ${-palm * 0.9}) rotate(-50)"/>`;
    // Palm centre at depth (reach - fingers); the forearm runs out of the frame.
    shape =
      `<g transform="translate(${centre} ${reach - palm * 1.5}) rotate(${180 + tilt})">` +
      `<ellipse cx="0" cy="0" rx="${palm}" ry="${palm * 1.15}"/>${fingers}${thumb}` +
      `<rect x="${-palm * 0.8}" y="${-depth * 2}" width="${palm * 1.6}" height="${depth * 2}"/></g>`;
  } else {
    const bend = rng.uniform(-0.12, 0.12) * depth;
    const slope = rng.uniform(-0.2, 0.2) * depth;
    shape = `<path d="M ${-across} ${-depth} L ${across * 2} ${-depth} L ${across * 2} ${reach + slope} Q ${across / 2} ${reach + bend} ${-across} ${reach - slope} Z"/>`;
  }
  const rotate = { top: 0, right: 90, bottom: 180, left: 270 }[s.edge];
  // Map the "from the top" drawing onto the real edge.
  const place =
    s.edge === "top"
      ? ""
      : s.edge === "bottom"
        ? `translate(${qw} ${qh}) rotate(${rotate})`
        : s.edge === "right"
          ? `translate(${qw} 0) rotate(${rotate})`
          : `translate(0 ${qh}) rotate(${rotate})`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${qw}" height="${qh}">` +
    `<g transform="${place}" fill="#000">${shape}</g></svg>`;
  const penumbra = Math.max(0.3, (w * rng.uniform(0.0015, 0.005)) / 4);
  const quarter = await svgAlpha(svg, penumbra);
  return resizeRaw(quarter, qw, qh, 1, w, h);
}

/** Where the curl near the binding moves a point of the notebook (plane coordinates). */
function curlAt(x: number, bindingX: number, zone: number, curlPx: number, tuck: number): Point {
  const d = Math.abs(x - bindingX);
  if (d >= zone || (curlPx === 0 && tuck === 0)) return [0, 0];
  const t = 1 - d / zone;
  const t2 = t * t;
  return [(x >= bindingX ? 1 : -1) * tuck * t2, curlPx * t2];
}

export interface SceneResult {
  jpeg: Buffer;
  /** Corners of the written page in the frame: TL, TR, BR, BL. */
  pageCorners: Point[];
}

export async function renderScene(o: SceneOptions): Promise<SceneResult> {
  const W = o.frameWidth;
  const H = o.frameHeight;
  const planeToFrame = o.placement.pageToFrame;
  const frameToPlane = invertHomography(planeToFrame);
  const { pageWidth: pw, pageHeight: ph } = o.placement;
  const curlZone = pw * 0.16;
  const tuck = o.pageCurlPx === 0 ? 0 : Math.abs(o.pageCurlPx) * 0.8;

  // Which part of the notebook plane the frame can see (corners, then a margin for the curl).
  const seen = [
    [0, 0],
    [W, 0],
    [W, H],
    [0, H],
  ].map(([x, y]) => applyHomography(frameToPlane, x!, y!));
  const pad = Math.abs(o.pageCurlPx) + tuck + 4;
  const visible = {
    x0: Math.min(...seen.map((p) => p[0])) - pad,
    y0: Math.min(...seen.map((p) => p[1])) - pad,
    x1: Math.max(...seen.map((p) => p[0])) + pad,
    y1: Math.max(...seen.map((p) => p[1])) + pad,
  };
  const nb = buildNotebook(o, visible);
  const background = await backgroundTexture(o.background, W, H, o.rng.fork("background"));
  const shadow = o.lighting.hard_shadow
    ? await hardShadowMask(o.lighting.hard_shadow, W, H, o.rng.fork("hard-shadow"))
    : null;

  const frame = new Uint8Array(W * H * 3);
  const L = o.lighting;
  const cast = CASTS[L.color_cast];
  const angle = (L.gradient_angle_deg * Math.PI) / 180;
  const gx = Math.cos(angle);
  const gy = Math.sin(angle);
  const half = Math.hypot(W, H) / 2;
  const shadowTint: [number, number, number] = [1, 0.97, 0.88];
  const strength = L.hard_shadow?.strength ?? 0;
  const h = frameToPlane;
  const { rgba, x0: nx0, y0: ny0, width: nw, height: nh, bindingX } = nb;
  const curl = o.pageCurlPx !== 0 || tuck !== 0;
  for (let y = 0; y < H; y++) {
    const py = y + 0.5;
    for (let x = 0; x < W; x++) {
      const px = x + 0.5;
      const den = h[6]! * px + h[7]! * py + h[8]!;
      let u = (h[0]! * px + h[1]! * py + h[2]!) / den;
      let v = (h[3]! * px + h[4]! * py + h[5]!) / den;
      if (curl) {
        const d = Math.abs(u - bindingX);
        if (d < curlZone) {
          const t = 1 - d / curlZone;
          const t2 = t * t;
          u += (u >= bindingX ? tuck : -tuck) * t2;
          v += o.pageCurlPx * t2;
        }
      }
      // Bilinear, premultiplied.
      const fx = u - nx0 - 0.5;
      const fy = v - ny0 - 0.5;
      const o3 = (y * W + x) * 3;
      let r = background[o3]!;
      let g = background[o3 + 1]!;
      let b = background[o3 + 2]!;
      if (fx > -1 && fy > -1 && fx < nw && fy < nh) {
        const ix = Math.floor(fx);
        const iy = Math.floor(fy);
        const ax = fx - ix;
        const ay = fy - iy;
        let sr = 0;
        let sg = 0;
        let sb = 0;
        let sa = 0;
        for (let dy = 0; dy < 2; dy++) {
          const yy = iy + dy;
          if (yy < 0 || yy >= nh) continue;
          const wy = dy ? ay : 1 - ay;
          for (let dx = 0; dx < 2; dx++) {
            const xx = ix + dx;
            if (xx < 0 || xx >= nw) continue;
            const wgt = wy * (dx ? ax : 1 - ax);
            const k = (yy * nw + xx) * 4;
            sr += rgba[k]! * wgt;
            sg += rgba[k + 1]! * wgt;
            sb += rgba[k + 2]! * wgt;
            sa += rgba[k + 3]! * wgt;
          }
        }
        const keep = 1 - sa / 255;
        r = sr + r * keep;
        g = sg + g * keep;
        b = sb + b * keep;
      }
      // Light: exposure × gradient × vignette × cast × hard shadow.
      const dxc = px - W / 2;
      const dyc = py - H / 2;
      const along = (dxc * gx + dyc * gy) / half; // -1..1
      const rr = (dxc * dxc + dyc * dyc) / (half * half);
      let light =
        L.exposure * (1 - L.gradient_strength * (0.5 + along / 2)) * (1 - L.vignette * rr);
      let s0 = 1;
      let s1 = 1;
      let s2 = 1;
      if (shadow) {
        const m = (shadow[y * W + x]! / 255) * strength;
        s0 = 1 - m * shadowTint[0];
        s1 = 1 - m * shadowTint[1];
        s2 = 1 - m * shadowTint[2];
      }
      light = Math.max(0, light);
      frame[o3] = Math.min(255, r * light * cast[0] * s0);
      frame[o3 + 1] = Math.min(255, g * light * cast[1] * s1);
      frame[o3 + 2] = Math.min(255, b * light * cast[2] * s2);
    }
  }

  // Optics blur, then sensor noise (luminance plus a little colour), then JPEG.
  let pixels: Uint8Array = frame;
  if (o.blurSigmaPx >= 0.3) {
    const blurred = await sharp(frame, { raw: { width: W, height: H, channels: 3 } })
      .blur(o.blurSigmaPx)
      .raw()
      .toBuffer();
    pixels = new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.length);
  }
  const noiseRng = o.rng.fork("sensor-noise");
  const table = normalTable(noiseRng);
  const sigma = o.noiseSigma;
  const chroma = sigma * 0.45;
  const lowFreq = await smoothNoise(W, H, 3, noiseRng.fork("blotch"));
  for (let i = 0; i < W * H; i++) {
    const a = noiseRng.uint32();
    const c = noiseRng.uint32();
    const luma = table[a & 0xffff]! * sigma + ((lowFreq[i]! - 128) / 128) * sigma * 0.6;
    const k = i * 3;
    pixels[k] = clamp(pixels[k]! + luma + table[a >>> 16]! * chroma);
    pixels[k + 1] = clamp(pixels[k + 1]! + luma + table[c & 0xffff]! * chroma);
    pixels[k + 2] = clamp(pixels[k + 2]! + luma + table[c >>> 16]! * chroma);
  }
  const jpeg = await sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: o.jpegQuality, chromaSubsampling: "4:2:0" })
    .toBuffer();

  // Corners of the written page: undo the curl at each corner (fixed point), then project.
  const corners: Point[] = [
    [0, 0],
    [pw, 0],
    [pw, ph],
    [0, ph],
  ];
  const pageCorners = corners.map(([cx, cy]) => {
    let q: Point = [cx, cy];
    for (let it = 0; it < 30; it++) {
      const [dx, dy] = curlAt(q[0], bindingX, curlZone, o.pageCurlPx, tuck);
      q = [cx - dx, cy - dy];
    }
    const [fx, fy] = applyHomography(planeToFrame, q[0], q[1]);
    return [Math.round(fx), Math.round(fy)] as Point;
  });
  return { jpeg, pageCorners };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
}
