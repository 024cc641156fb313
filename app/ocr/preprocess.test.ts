/**
 * The preprocessing checks on drawn pages (no fonts needed): a step that would throw the writing
 * away is skipped, and the page says so in its notes.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { Grey } from "./morphology";
import { isolateLine, pageMarks, preparePage, stretch } from "./preprocess.server";

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

describe("isolateLine", () => {
  /** A white image with dark squares (marks) at the given centres, 8 px across. */
  function marks(width: number, height: number, centres: [number, number][]): Grey {
    const data = new Uint8Array(width * height).fill(255);
    for (const [cx, cy] of centres)
      for (let y = cy - 4; y < cy + 4; y++)
        for (let x = cx - 4; x < cx + 4; x++) data[y * width + x] = 20;
    return { data, width, height };
  }
  const darkAt = (img: Grey, x: number, y: number) => img.data[y * img.width + x]! < 128;

  it("keeps the line's own marks where its box overlaps the lines above and below", () => {
    // Three lines at y = 20, 45 and 70; the middle box (a rising line) reaches into both others.
    const img = marks(120, 90, [
      [20, 20],
      [60, 20],
      [20, 45],
      [60, 45],
      [100, 45],
      [20, 70],
      [60, 70],
    ]);
    const boxes = [
      { x0: 10, y0: 12, x1: 70, y1: 28 },
      { x0: 10, y0: 14, x1: 110, y1: 76 },
      { x0: 10, y0: 62, x1: 70, y1: 78 },
    ];
    const cut = isolateLine(pageMarks(img), boxes, 1, "horizontal")!;
    const at = (x: number, y: number) => darkAt(cut.image, x - cut.left, y - cut.top);
    expect([at(20, 45), at(60, 45), at(100, 45)]).toEqual([true, true, true]);
    expect([at(20, 20), at(60, 20), at(20, 70), at(60, 70)]).toEqual([false, false, false, false]);
  });

  it("works across the columns of vertical writing, and finds nothing in an empty box", () => {
    const img = marks(90, 120, [
      [20, 20],
      [45, 20],
      [45, 60],
      [70, 20],
    ]);
    const boxes = [
      { x0: 12, y0: 10, x1: 28, y1: 70 },
      { x0: 14, y0: 10, x1: 76, y1: 70 },
      { x0: 62, y0: 10, x1: 78, y1: 70 },
      { x0: 0, y0: 90, x1: 80, y1: 110 },
    ];
    const cut = isolateLine(pageMarks(img), boxes, 1, "vertical")!;
    const at = (x: number, y: number) => darkAt(cut.image, x - cut.left, y - cut.top);
    expect([at(45, 20), at(45, 60)]).toEqual([true, true]);
    expect([at(20, 20), at(70, 20)]).toEqual([false, false]);
    expect(isolateLine(pageMarks(img), boxes, 3, "vertical")).toBeNull();
  });
});

describe("stretch", () => {
  /** Paper at 245 with bars of `value` (3 px wide, every 10 px) in a band of rows. */
  function bars(img: Grey, value: number, x0: number, x1: number, y0: number, y1: number) {
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) if (x % 10 < 3) img.data[y * img.width + x] = value;
  }

  it("darkens a line in pencil on a page written in pen, but not a lone pale smudge", () => {
    const img: Grey = { data: new Uint8Array(800 * 400).fill(245), width: 800, height: 400 };
    bars(img, 40, 40, 760, 50, 90); // a line in pen
    bars(img, 170, 40, 760, 200, 240); // a line in pencil, across many tiles
    bars(img, 170, 680, 700, 330, 350); // a smudge as pale, in one tile
    const { image, faint } = stretch(img);
    const at = (x: number, y: number) => image.data[y * 800 + x]!;
    expect(faint).toBe(true);
    expect(at(400, 70)).toBe(0);
    expect(at(400, 220)).toBeLessThan(128); // darker than mid-grey: binarisation keeps it
    // The smudge gets the page's cut (170 between the pen's 40 and the white cut 205).
    expect(at(680, 340)).toBeGreaterThan(180);
    expect(at(300, 300)).toBe(255);
  });

  it("keeps one cut for a page without pale writing", () => {
    const img: Grey = { data: new Uint8Array(800 * 400).fill(245), width: 800, height: 400 };
    bars(img, 40, 40, 760, 50, 90);
    const { image, faint } = stretch(img);
    expect(faint).toBe(false);
    expect(image.data[70 * 800 + 400]).toBe(0);
    expect(image.data[300 * 800 + 300]).toBe(255);
  });
});
