/**
 * The preprocessing checks on drawn pages (no fonts needed): a step that would throw the writing
 * away is skipped, and the page says so in its notes.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { Grey } from "./morphology";
import { preparePage } from "./preprocess.server";

const W = 1654;
const H = 2339;

/** Rows of short strokes standing in for characters: about 40 px "characters" on ruled paper. */
function writing(ink: string, width = 4) {
  const strokes: string[] = [];
  for (let row = 0; row < 8; row++) {
    const y = 320 + row * 130;
    for (let col = 0; col < 22; col++) {
      const x = 180 + col * 56;
      // Three strokes per cell, varied so that no two cells are alike.
      const k = (row * 7 + col * 3) % 5;
      strokes.push(
        `<path d="M${x} ${y - 40 + k} l${30 - k} ${k * 2}" />`,
        `<path d="M${x + 14} ${y - 48} l${k - 2} 44" />`,
        `<path d="M${x + 2} ${y - 10} q18 ${-8 - k} 34 ${k}" />`,
      );
    }
  }
  return `<g stroke="${ink}" stroke-width="${width}" fill="none" stroke-linecap="round">${strokes.join("")}</g>`;
}

function rules() {
  return Array.from(
    { length: 14 },
    (_, i) =>
      `<line x1="130" x2="${W - 130}" y1="${330 + i * 130}" y2="${330 + i * 130}" stroke="#9db4d0" stroke-width="2"/>`,
  ).join("");
}

/** Pixels dark enough to be writing on a prepared page. */
function inkPixels(img: Grey, below: number): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i++) if (img.data[i]! < below) n++;
  return n;
}

async function page(body: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${body}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

describe("preparePage", () => {
  it("keeps the writing of a cream page scanned on a white lid (the paper mask is skipped)", async () => {
    const scan = await page(
      `<rect width="100%" height="100%" fill="#ffffff"/>
       <rect x="90" y="100" width="${W - 180}" height="${H - 200}" fill="#f3ecd9"/>
       ${rules()}${writing("#16161c")}`,
    );
    const prepared = await preparePage(scan);
    expect(prepared.notes).toContain("paper-kept-whole");
    // The crop is the writing, not an empty page: most of the prepared image's area is inside
    // the 8 × 22 cells, and they are inked.
    expect(inkPixels(prepared.image, 128)).toBeGreaterThan(prepared.image.data.length * 0.03);
    expect(prepared.marks).toBeGreaterThan(100);
  });

  it("reads blue ballpoint on the red channel, where it is darkest", async () => {
    const scan = await page(
      `<rect width="100%" height="100%" fill="#fcfcfa"/>${rules()}${writing("#3a5fcd")}`,
    );
    const prepared = await preparePage(scan);
    expect(prepared.notes).toContain("red-channel");
    expect(prepared.marks).toBeGreaterThan(100);
  });

  it("darkens faint pencil instead of cutting it away with the show-through", async () => {
    const photo = await page(
      `<rect width="100%" height="100%" fill="#f3ecd9"/>${rules()}${writing("#a8a8a4", 3)}`,
    );
    const prepared = await preparePage(photo);
    expect(prepared.notes).toContain("faint-ink");
    expect(prepared.marks).toBeGreaterThan(100);
  });

  it("prepares a page plainly when asked, and says so", async () => {
    const scan = await page(
      `<rect width="100%" height="100%" fill="#fcfcfa"/>${writing("#16161c")}`,
    );
    const prepared = await preparePage(scan, { plain: true });
    expect(prepared.notes).toEqual(["plain"]);
    expect(prepared.marks).toBeGreaterThan(100);
  });
});
