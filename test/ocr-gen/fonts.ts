/**
 * The handwriting fonts the generator writes with, how to check that they are installed, and a
 * few measurements of each one (where the em box sits around the baseline, where 、 and 。 sit in
 * it) taken by rendering through the same path as the pages: sharp's SVG input (librsvg + pango +
 * fontconfig), which finds fonts by family name.
 *
 * A family that fontconfig does not know silently falls back to some other Japanese font, so the
 * generator refuses to run when a font file is missing, and names the Debian package to install.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import sharp from "sharp";

export interface HandFont {
  /** The name recorded in the manifest (`font`). */
  name: string;
  /** The SVG font-family. fontconfig reads "-" as a size separator, so it is escaped. */
  family: string;
  weight: 400 | 600;
  /** The font file fontconfig must list. */
  file: string;
  debianPackage: "fonts-klee" | "fonts-kiloji" | "fonts-seto";
}

export const HAND_FONTS: readonly HandFont[] = [
  {
    name: "Klee One Regular",
    family: "Klee One",
    weight: 400,
    file: "KleeOne-Regular.ttf",
    debianPackage: "fonts-klee",
  },
  {
    name: "Klee One SemiBold",
    family: "Klee One",
    weight: 600,
    file: "KleeOne-SemiBold.ttf",
    debianPackage: "fonts-klee",
  },
  {
    name: "kiloji",
    family: "kiloji",
    weight: 400,
    file: "kiloji.ttf",
    debianPackage: "fonts-kiloji",
  },
  {
    name: "kiloji - B",
    family: "kiloji \\- B",
    weight: 400,
    file: "kiloji_b.ttf",
    debianPackage: "fonts-kiloji",
  },
  {
    name: "kiloji - D",
    family: "kiloji \\- D",
    weight: 400,
    file: "kiloji_d.ttf",
    debianPackage: "fonts-kiloji",
  },
  // kiloji - P (kiloji_p.ttf) is kiloji with proportional advances: the same glyphs, so it adds
  // no shapes and the fallback check below cannot tell it from kiloji.
  // setofont-ex (same package) only holds the kanji of the Unicode extension planes; its basic
  // kana and kanji are empty, so it is not a font to write a page with.
  {
    name: "SetoFont",
    family: "SetoFont",
    weight: 400,
    file: "setofont.ttf",
    debianPackage: "fonts-seto",
  },
];

export function fontByName(name: string): HandFont {
  const font = HAND_FONTS.find((f) => f.name === name);
  if (!font) throw new Error(`Unknown handwriting font "${name}"`);
  return font;
}

/** The printed parts of the notebook (header) use a plain sans font; any fallback will do. */
export const PRINT_FAMILY = "DejaVu Sans, Liberation Sans, sans-serif";

let installedFiles: Set<string> | null = null;

/** The handwriting fonts fontconfig does not list (empty when all are installed). */
export function missingFonts(): HandFont[] {
  if (!installedFiles) {
    let listing: string;
    try {
      listing = execFileSync("fc-list", ["--format", "%{file}\n"], { encoding: "utf8" });
    } catch {
      throw new Error(
        "`fc-list` did not run. Install fontconfig and the fonts: apt-get install fontconfig fonts-klee fonts-kiloji fonts-seto",
      );
    }
    installedFiles = new Set(listing.split("\n").map((file) => file.split("/").pop() ?? ""));
  }
  const files = installedFiles;
  return HAND_FONTS.filter((f) => !files.has(f.file));
}

/** Throws a message naming the Debian packages when a handwriting font is missing. */
export function requireFonts(): void {
  const missing = missingFonts();
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((f) => f.debianPackage))];
  throw new Error(
    `Handwriting font(s) not installed: ${missing.map((f) => `${f.name} (${f.file})`).join(", ")}.\n` +
      `Install them with: sudo apt-get install ${packages.join(" ")}`,
  );
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface FontMetrics {
  /** Offset from the baseline to the centre of the em box, in em (negative: above). */
  emCenterY: number;
  /** Ink centres of 、 and 。 relative to the em-box centre, in em. */
  comma: { dx: number; dy: number };
  period: { dx: number; dy: number };
}

const metricsCache = new Map<string, FontMetrics>();
const probeHashes = new Map<string, string>();

/**
 * Measures a font by rendering 国 、 。 at 200 px. 国 fills its em box, so its ink centre is taken
 * as the em-box centre. Also checks that librsvg really used this font (see module comment).
 */
export async function fontMetrics(font: HandFont): Promise<FontMetrics> {
  const cached = metricsCache.get(font.name);
  if (cached) return cached;
  const size = 200;
  const cell = 320;
  const baseline = 230;
  const chars = ["国", "、", "。", "語あ"];
  const texts = chars
    .map(
      (c, i) =>
        `<text x="${i * cell + cell / 2}" y="${baseline}" text-anchor="middle">${escapeXml(c)}</text>`,
    )
    .join("");
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${cell * chars.length}" height="${cell}">` +
    `<g font-family="${escapeXml(font.family)}" font-weight="${font.weight}" font-size="${size}" fill="#000">${texts}</g></svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const centre = (index: number) => {
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (let y = 0; y < info.height; y++) {
      for (let x = index * cell; x < (index + 1) * cell; x++) {
        const a = data[y * info.width + x]!;
        if (a > 0) {
          sx += a * (x - index * cell - cell / 2);
          sy += a * (y - baseline);
          sw += a;
        }
      }
    }
    if (sw === 0) {
      throw new Error(
        `Font "${font.name}" rendered no ink for ${chars[index]}: is ${font.debianPackage} installed?`,
      );
    }
    return { x: sx / sw / size, y: sy / sw / size };
  };
  const em = centre(0);
  const comma = centre(1);
  const period = centre(2);
  const metrics: FontMetrics = {
    emCenterY: em.y,
    comma: { dx: comma.x - em.x, dy: comma.y - em.y },
    period: { dx: period.x - em.x, dy: period.y - em.y },
  };
  const hash = crypto.createHash("sha1").update(data).digest("hex");
  for (const [other, otherHash] of probeHashes) {
    if (otherHash === hash && fontByName(other).file !== font.file) {
      throw new Error(
        `"${font.name}" renders exactly like "${other}": fontconfig fell back to another font. ` +
          `Install ${font.debianPackage} (sudo apt-get install ${font.debianPackage}).`,
      );
    }
  }
  probeHashes.set(font.name, hash);
  metricsCache.set(font.name, metrics);
  return metrics;
}
