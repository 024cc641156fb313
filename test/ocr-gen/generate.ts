/**
 * Generates synthetic photos and scans of handwritten diary pages in the folder format of
 * ../shared/ocr-dev ("ocr-diary-pages/1": manifest.json + texts.json + images), so that
 * `npm run bench:ocr -- <dir>` and ocr-dev's score.mjs work on them unchanged.
 *
 * One page = draw its parameters from its own seed → place the page in the frame (its size in
 * pixels follows) → rule the paper and write the entry on it (writing.ts, paper.ts) → photograph
 * or scan it (capture.ts). Not responsible for recognising anything.
 */
import fs from "node:fs";
import path from "node:path";
import { placePage, renderScene, type HardShadow, type Lighting, type Side } from "./capture";
import { fontByName, fontMetrics, HAND_FONTS, requireFonts, type HandFont } from "./fonts";
import { composePage, type PaperStyle } from "./paper";
import { fixtureSpecs, planSet, type Ink, type PageSpec } from "./plan";
import { hexToRgb, rgbToHex, svgAlpha, type Point } from "./raster";
import { Rng, round } from "./rng";
import { DESK_BACKGROUNDS, type Background } from "./textures";
import { groundTruth, loadEntries, type Entry, type TextSet } from "./texts";
import {
  handwritingSvg,
  lineLengthEm,
  makeRuling,
  placeGlyphs,
  writingRoom,
  type HandStyle,
  type Layout,
} from "./writing";

export const FORMAT = "ocr-diary-pages/1";
/** B5 notebook page, height / width. */
const PAGE_ASPECT = 257 / 182;

export interface ManifestPage {
  file: string;
  entry_id: string;
  layout: Layout;
  font: string;
  ink: Ink;
  ink_color: string;
  width: number;
  height: number;
  distortions: {
    capture: "scan" | "photo";
    rotation_deg: number;
    keystone: { horizontal: number; vertical: number };
    page_corners_px: Point[];
    background: Background;
    open_notebook: boolean;
    notebook_cover_rgb: [number, number, number] | null;
    binding_side: Side;
    gutter_shadow: number;
    page_curl_px: number;
    lighting: Lighting;
    blur_sigma_px: number;
    noise_sigma: number;
    jpeg_quality: number;
    show_through: boolean;
    printed_header: boolean;
    margin_line: boolean;
    paper: string;
    handwriting_jitter: {
      rotation_sd_deg: number;
      offset_sd_em: number;
      size_sd: number;
      kana_scale: number;
      slant_deg: number;
      stroke_em: number;
    };
    writing_size: PageSpec["sizeClass"];
    font_px: number;
    rule_pitch_px: number;
  };
  text: string;
}

export interface Manifest {
  format: typeof FORMAT;
  description: string;
  set: string;
  seed: string;
  generator: string;
  page_count: number;
  pages: ManifestPage[];
}

const BLACK_INKS = ["#16161c", "#1b1d26", "#202024", "#2a2624"];
const PENCIL_INKS = ["#3f4044", "#4a4a4e", "#55555a"];
const CREAM_PAPERS = ["#f3ecd9", "#f7f1e1", "#f6f0e4", "#f9f6ee"];
const WHITE_PAPERS = ["#fcfcfa", "#fafaf6", "#fbfbf8"];
const RULE_COLORS = ["#9fb3d6", "#a9b6c8", "#b4b4b4", "#c9a58f", "#8fb0c8"];
const COVERS: [number, number, number][] = [
  [60, 100, 70],
  [200, 170, 120],
  [40, 60, 110],
  [30, 30, 35],
  [230, 225, 215],
  [150, 45, 50],
];

function inkColor(ink: Ink, rng: Rng): string {
  if (ink === "black") return rng.pick(BLACK_INKS);
  if (ink === "pencil") return rng.pick(PENCIL_INKS);
  // Ballpoint blue around #1f3a93.
  const [r, g, b] = hexToRgb("#1f3a93");
  return rgbToHex([r + rng.int(-6, 8), g + rng.int(-12, 8), b + rng.int(-26, 14)]);
}

/** The longest line of an entry in em, and the largest writing size that fits the page. */
function fitFontPx(
  lines: string[],
  layout: Layout,
  width: number,
  height: number,
  firstLine: number,
  ratio: number,
  style: Pick<HandStyle, "kanaScale" | "trackingEm">,
) {
  const longest = Math.max(...lines.map((l) => lineLengthEm(l, layout, style)));
  const top = height * 0.085;
  if (layout === "horizontal") {
    // Writing runs from just after the margin (≤ 15 % of the width) to 96.5 %.
    const along = (width * (0.965 - 0.15)) / longest;
    const across = (ratio * (height * 0.965 - top)) / (firstLine + lines.length + 1);
    return Math.min(along, across) * 0.95;
  }
  const along = (height * 0.955 - top) / (longest + 0.8 / ratio);
  const across = (ratio * width * 0.9) / (firstLine + lines.length);
  return Math.min(along, across) * 0.95;
}

export interface GeneratedPage {
  jpeg: Buffer;
  record: ManifestPage;
}

export async function generatePage(spec: PageSpec): Promise<GeneratedPage> {
  const rng = new Rng(spec.seed);
  const font = fontByName(spec.font);
  const metrics = await fontMetrics(font);
  const photo = spec.capture === "photo";
  const vertical = spec.layout === "vertical";

  // Where the page lands in the frame.
  const cam = rng.fork("camera");
  const rotationDeg = round(photo ? cam.uniform(-8, 8) : cam.uniform(-0.9, 0.9));
  const keystone = photo
    ? { horizontal: round(cam.uniform(-0.06, 0.06)), vertical: round(cam.uniform(-0.06, 0.06)) }
    : { horizontal: 0, vertical: 0 };
  const bindingSide: Side = cam.chance(0.5) ? "left" : "right";
  const fill = !photo
    ? cam.uniform(0.93, 0.965)
    : spec.openNotebook
      ? cam.uniform(0.66, 0.76)
      : cam.uniform(0.8, 0.92);
  // An open notebook is framed so that a good part of the facing page shows.
  const offset: [number, number] = !photo
    ? [cam.uniform(-0.3, 0.3), cam.uniform(-0.3, 0.3)]
    : spec.openNotebook
      ? [(bindingSide === "left" ? 1 : -1) * cam.uniform(0.7, 1), cam.uniform(-0.6, 0.6)]
      : [cam.uniform(-0.8, 0.8), cam.uniform(-0.8, 0.8)];
  const placement = placePage({
    frameWidth: spec.width,
    frameHeight: spec.height,
    aspect: PAGE_ASPECT,
    rotationDeg,
    keystone,
    fill,
    offset,
  });
  const { pageWidth: pw, pageHeight: ph } = placement;

  // The hand.
  const hand = rng.fork("hand");
  const style: HandStyle = {
    font,
    metrics,
    fontPx: 0,
    kanaScale: round(hand.uniform(0.86, 0.96)),
    rotationSdDeg: round(hand.uniform(1.2, 2.8)),
    offsetSdEm: round(hand.uniform(0.018, 0.04), 3),
    sizeSd: round(hand.uniform(0.02, 0.06), 3),
    slantDeg: vertical ? 0 : round(hand.uniform(-6, 4), 1),
    trackingEm: hand.uniform(0.03, 0.14),
    strokeEm: round(
      spec.ink === "black"
        ? hand.uniform(0.005, 0.03)
        : spec.ink === "blue"
          ? hand.uniform(0, 0.02)
          : hand.uniform(0, 0.012),
      3,
    ),
    opacity: spec.ink === "pencil" ? [0.72, 1] : [0.9, 1],
  };
  const ratio = hand.uniform(0.6, 0.76);
  const firstLine = hand.int(0, 1);

  // Writing size: the longest line must fit; small and large pages are forced to their range.
  const fit = fitFontPx(spec.entry.lines, spec.layout, pw, ph, firstLine, ratio, style);
  let fontPx: number;
  if (spec.sizeClass === "small")
    fontPx = Math.min(fit, Math.max(22, (hand.uniform(30, 40) * pw) / 1550));
  else if (spec.sizeClass === "large")
    fontPx = Math.min(fit, Math.max(92, fit * hand.uniform(0.85, 0.97)));
  else fontPx = fit * hand.uniform(0.66, 0.9);
  if (spec.tweaks?.minFontPx) fontPx = Math.max(fontPx, Math.min(fit, spec.tweaks.minFontPx));
  style.fontPx = fontPx;
  const pitch = fontPx / ratio;

  // The paper.
  const pap = rng.fork("paper");
  const header = spec.tweaks?.header ?? pap.chance(0.4);
  const marginLine = !vertical && pap.chance(0.45);
  const paperStyle: PaperStyle = {
    paper:
      !photo && pap.chance(0.7)
        ? pap.pick(WHITE_PAPERS)
        : pap.pick(pap.chance(0.7) ? CREAM_PAPERS : WHITE_PAPERS),
    ruleColor: pap.pick(RULE_COLORS),
    ruleWidth: Math.max(1, pw * 0.0008),
  };
  const ruling = makeRuling({
    layout: spec.layout,
    pageWidth: pw,
    pageHeight: ph,
    pitch,
    marginLine,
    header,
    firstLine,
    rng: pap.fork("ruling"),
  });
  const room = writingRoom(ruling);
  if (room.lines < spec.entry.lines.length) {
    throw new Error(
      `${spec.file}: ${spec.entry.id} has ${spec.entry.lines.length} lines, the page only ${room.lines}`,
    );
  }

  // The writing.
  const glyphs = placeGlyphs(spec.entry.lines, ruling, style, hand.fork("glyphs"));
  const inkHex = inkColor(spec.ink, rng.fork("ink"));
  const inkAlpha = await svgAlpha(
    handwritingSvg(glyphs, pw, ph, style),
    spec.ink === "pencil" ? 0.5 : 0,
  );

  // What shows through from the back of the sheet: another entry, mirrored and blurred.
  const st = rng.fork("show-through");
  const showThrough =
    spec.tweaks?.showThrough ?? (spec.backEntry !== null && st.chance(photo ? 0.35 : 0.25));
  let back = null;
  if (showThrough && spec.backEntry) {
    const backFont: HandFont = st.pick(HAND_FONTS);
    const backStyle: HandStyle = {
      ...style,
      font: backFont,
      metrics: await fontMetrics(backFont),
      slantDeg: vertical ? 0 : st.uniform(-5, 3),
      strokeEm: 0.01,
      opacity: [0.85, 1],
    };
    backStyle.fontPx = Math.min(
      fontPx,
      fitFontPx(spec.backEntry.lines, spec.layout, pw, ph, firstLine, ratio, backStyle),
    );
    const backGlyphs = placeGlyphs(spec.backEntry.lines, ruling, backStyle, st.fork("glyphs"));
    const mirrored = handwritingSvg(backGlyphs, pw, ph, backStyle)
      .replace(/<g /, `<g transform="translate(${pw} 0) scale(-1 1)"><g `)
      .replace(/<\/svg>$/, "</g></svg>");
    const backInk = hexToRgb(st.pick([...BLACK_INKS, "#1f3a93", "#4a4a4e"]));
    const paperRgb = hexToRgb(paperStyle.paper);
    back = {
      alpha: await svgAlpha(mirrored, Math.max(1, fontPx * 0.05)),
      color: backInk.map((c, i) => (c + paperRgb[i]!) / 2) as [number, number, number],
      strength: st.uniform(0.1, 0.2),
    };
  }

  const page = await composePage(
    ruling,
    paperStyle,
    { alpha: inkAlpha, color: hexToRgb(inkHex), pencil: spec.ink === "pencil" },
    back,
    rng.fork("page"),
  );
  const facingPage = spec.openNotebook
    ? await composePage({ ...ruling, header: false }, paperStyle, null, null, rng.fork("facing"))
    : null;

  // Light and camera.
  const lit = rng.fork("light");
  let hardShadow: HardShadow | null = null;
  if (spec.hardShadow) {
    hardShadow = {
      shape: lit.pick(["phone", "hand", "edge"] as const),
      strength: round(lit.uniform(0.25, 0.45)),
      reach_frac: round(lit.uniform(0.18, 0.4)),
      edge: lit.pick(["top", "right", "bottom", "left"] as const),
    };
  }
  const lighting: Lighting = photo
    ? {
        exposure: round(lit.uniform(0.82, 1.02)),
        gradient_strength: round(lit.uniform(0.08, 0.34)),
        gradient_angle_deg: lit.int(0, 359),
        vignette: round(lit.uniform(0.05, 0.35)),
        color_cast: lit.pick(["neutral", "warm", "cool", "fluorescent"] as const),
        hard_shadow: hardShadow,
      }
    : {
        exposure: round(lit.uniform(1.02, 1.06)),
        gradient_strength: round(lit.uniform(0, 0.02)),
        gradient_angle_deg: lit.int(0, 359),
        vignette: 0,
        color_cast: "neutral",
        hard_shadow: null,
      };
  const big = spec.width >= 2500;
  const curlSign = lit.chance(0.5) ? 1 : -1;
  const scene = {
    background: photo ? lit.pick(DESK_BACKGROUNDS) : ("flatbed_white" as const),
    coverRgb: photo ? lit.pick(COVERS) : null,
    gutterShadow: round(
      !photo
        ? lit.uniform(0.02, 0.07)
        : spec.openNotebook
          ? lit.uniform(0.14, 0.3)
          : lit.uniform(0.05, 0.2),
    ),
    pageCurlPx: round(
      !photo
        ? 0
        : curlSign *
            pw *
            (spec.openNotebook ? lit.uniform(0.006, 0.013) : lit.uniform(0.001, 0.009)),
      1,
    ),
    blurSigmaPx: round(
      !photo ? lit.uniform(0.4, 0.6) : big ? lit.uniform(0.8, 1.7) : lit.uniform(0.45, 1.05),
    ),
    noiseSigma: round(
      spec.tweaks?.noiseSigma ?? (!photo ? lit.uniform(0.6, 1.2) : lit.uniform(1.8, 5)),
    ),
    jpegQuality: spec.tweaks?.jpegQuality ?? (!photo ? 85 : lit.int(60, 85)),
  };
  const { jpeg, pageCorners } = await renderScene({
    capture: spec.capture,
    frameWidth: spec.width,
    frameHeight: spec.height,
    placement,
    page,
    facingPage,
    bindingSide,
    coverRgb: scene.coverRgb,
    paperRgb: hexToRgb(paperStyle.paper),
    background: scene.background,
    gutterShadow: scene.gutterShadow,
    pageCurlPx: scene.pageCurlPx,
    lighting,
    blurSigmaPx: scene.blurSigmaPx,
    noiseSigma: scene.noiseSigma,
    jpegQuality: scene.jpegQuality,
    rng: rng.fork("scene"),
  });

  const record: ManifestPage = {
    file: spec.file,
    entry_id: spec.entry.id,
    layout: spec.layout,
    font: font.name,
    ink: spec.ink,
    ink_color: inkHex,
    width: spec.width,
    height: spec.height,
    distortions: {
      capture: spec.capture,
      rotation_deg: rotationDeg,
      keystone,
      page_corners_px: pageCorners,
      background: scene.background,
      open_notebook: spec.openNotebook,
      notebook_cover_rgb: scene.coverRgb,
      binding_side: bindingSide,
      gutter_shadow: scene.gutterShadow,
      page_curl_px: scene.pageCurlPx,
      lighting,
      blur_sigma_px: scene.blurSigmaPx,
      noise_sigma: scene.noiseSigma,
      jpeg_quality: scene.jpegQuality,
      show_through: back !== null,
      printed_header: header,
      margin_line: marginLine,
      paper: paperStyle.paper,
      handwriting_jitter: {
        rotation_sd_deg: style.rotationSdDeg,
        offset_sd_em: style.offsetSdEm,
        size_sd: style.sizeSd,
        kana_scale: style.kanaScale,
        slant_deg: style.slantDeg,
        stroke_em: style.strokeEm,
      },
      writing_size: spec.sizeClass,
      font_px: round(fontPx, 1),
      rule_pitch_px: round(pitch, 1),
    },
    text: groundTruth(spec.entry),
  };
  return { jpeg, record };
}

export interface SetOptions {
  set: TextSet;
  out: string;
  count?: number;
  seed?: string;
  /** Pages generated at once (sharp works off the main thread, so two overlap well). */
  concurrency?: number;
  log?: (line: string) => void;
}

export const DEFAULT_COUNTS: Record<TextSet, number> = { tune: 40, holdout: 24 };

/** Measures every font once before any page, so that a fallback font is caught up front. */
async function checkFontsRender(): Promise<void> {
  requireFonts();
  for (const f of HAND_FONTS) await fontMetrics(f);
}

async function writePages(
  specs: PageSpec[],
  out: string,
  concurrency: number,
  log: (line: string) => void,
) {
  fs.mkdirSync(out, { recursive: true });
  const records: ManifestPage[] = new Array<ManifestPage>(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      const t0 = performance.now();
      const { jpeg, record } = await generatePage(spec);
      fs.writeFileSync(path.join(out, spec.file), jpeg);
      records[i] = record;
      const d = record.distortions;
      log(
        `${spec.file}  ${record.width}×${record.height}  ${d.capture}${d.open_notebook ? "+open" : ""}${d.lighting.hard_shadow ? "+shadow" : ""}  ` +
          `${record.layout}  ${record.ink}  ${record.font}  ${d.font_px} px  ${spec.entry.id}  ` +
          `${Math.round(jpeg.length / 1024)} KB  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return records;
}

function writeManifest(out: string, manifest: Manifest): void {
  fs.writeFileSync(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function generateSet(o: SetOptions): Promise<Manifest> {
  await checkFontsRender();
  const log = o.log ?? (() => {});
  const file = loadEntries(o.set);
  const count = o.count ?? DEFAULT_COUNTS[o.set];
  const seed = o.seed ?? `gen-${o.set}-1`;
  const specs = planSet(file.entries, count, seed);
  const records = await writePages(specs, o.out, o.concurrency ?? 2, log);
  const manifest: Manifest = {
    format: FORMAT,
    description:
      `Synthetic photos/scans of handwritten Japanese exchange-diary pages generated by test/ocr-gen from ` +
      `test/fixtures/seeds/${o.set}.json. text = ground truth (entry lines joined with "\\n", reading order; ` +
      `for vertical pages columns are read right-to-left).`,
    set: `gen-${o.set}`,
    seed,
    generator: "test/ocr-gen",
    page_count: records.length,
    pages: records,
  };
  writeManifest(o.out, manifest);
  const used = new Set(specs.map((s) => s.entry.id));
  const texts = {
    description: file.description,
    categories: file.categories,
    entries: file.entries.filter((e: Entry) => used.has(e.id)),
  };
  fs.writeFileSync(path.join(o.out, "texts.json"), `${JSON.stringify(texts, null, 2)}\n`);
  return manifest;
}

export const FIXTURE_DIR = path.join("test", "fixtures", "ocr", "variety");

export async function generateFixtures(
  out: string,
  log: (line: string) => void = () => {},
): Promise<Manifest> {
  await checkFontsRender();
  const seed = "gen-variety-1";
  const specs = fixtureSpecs(loadEntries("tune").entries, seed);
  const records = await writePages(specs, out, 2, log);
  const manifest: Manifest = {
    format: FORMAT,
    description:
      "Four small generated pages (test/ocr-gen, tune-set texts) for OCR tests: a blue-ink scan, a black-ink " +
      "vertical scan, an open notebook photo and a pencil photo with a hard shadow. text = ground truth.",
    set: "gen-variety",
    seed,
    generator: "test/ocr-gen --fixtures",
    page_count: records.length,
    pages: records,
  };
  writeManifest(out, manifest);
  return manifest;
}
