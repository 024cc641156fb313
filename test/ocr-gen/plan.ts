/**
 * What each page of a set will be: a planned mix rather than independent draws, so that even a
 * small set has its share of scans (blue and black ink), open notebooks, hard shadows, pencil,
 * vertical writing, every font family and small and large writing. The random parts of a page
 * (angles, light, noise…) are drawn later from the page's own seed.
 */
import { HAND_FONTS } from "./fonts";
import { Rng } from "./rng";
import type { Entry } from "./texts";
import { lineLengthEm, type Layout } from "./writing";

export type Ink = "black" | "blue" | "pencil";
export type SizeClass = "small" | "natural" | "large";

export interface PageSpec {
  file: string;
  /** Seed of this page's own random streams. */
  seed: string;
  entry: Entry;
  /** The entry written on the back of the sheet (shows through on some pages). */
  backEntry: Entry | null;
  layout: Layout;
  font: string;
  ink: Ink;
  capture: "scan" | "photo";
  openNotebook: boolean;
  hardShadow: boolean;
  sizeClass: SizeClass;
  width: number;
  height: number;
  /** Fixed choices for the committed fixtures. */
  tweaks?: {
    minFontPx?: number;
    jpegQuality?: number;
    noiseSigma?: number;
    showThrough?: boolean;
    header?: boolean;
  };
}

export const SCAN_SIZE: [number, number] = [1654, 2339];
export const PHOTO_12MP: [number, number] = [3024, 4032];
export const PHOTO_SMALL: [number, number][] = [
  [1440, 1920],
  [1500, 2000],
  [1512, 2016],
  [1536, 2048],
];

/** Font order of the plan: Klee One 3, kiloji 4, SetoFont 2 in every nine pages. */
const FONT_CYCLE = [
  "Klee One Regular",
  "kiloji",
  "SetoFont",
  "kiloji - B",
  "Klee One SemiBold",
  "kiloji - D",
  "Klee One Regular",
  "kiloji",
  "SetoFont",
];

type Kind = "scan" | "photo" | "open" | "shadow" | "open+shadow";

/** A rough check that an entry can be written at ≥ 92 px on a page of this width. */
function fitsLarge(entry: Entry, layout: Layout, pageWidth: number): boolean {
  const longest = Math.max(
    ...entry.lines.map((l) => lineLengthEm(l, layout, { kanaScale: 0.92, trackingEm: 0.09 })),
  );
  const fit =
    layout === "horizontal"
      ? (pageWidth * 0.86) / longest
      : Math.min(
          (pageWidth * 1.41 * 0.84) / longest,
          (0.68 * 0.9 * pageWidth) / (entry.lines.length + 1),
        );
  return fit * 0.9 >= 92;
}

export function planSet(entries: Entry[], count: number, seed: string): PageSpec[] {
  if (count < 1) throw new Error("count must be at least 1");
  for (const f of FONT_CYCLE) {
    if (!HAND_FONTS.some((h) => h.name === f))
      throw new Error(`font cycle names unknown font ${f}`);
  }
  const rng = new Rng(seed).fork("plan");
  const nScan = Math.max(1, Math.ceil(count * 0.27));
  const nOpen = count >= 4 ? Math.round(count * 0.2) : 0;
  const nShadow = count >= 4 ? Math.round(count * 0.2) : 0;
  const both = count >= 20 ? 1 : 0;
  const kinds: Kind[] = [
    ...Array<Kind>(nScan).fill("scan"),
    ...Array<Kind>(Math.max(0, nOpen - both)).fill("open"),
    ...Array<Kind>(Math.max(0, nShadow - both)).fill("shadow"),
    ...Array<Kind>(both).fill("open+shadow"),
  ];
  while (kinds.length < count) kinds.push("photo");
  const slots = rng.shuffle(kinds.slice(0, count));

  // Layout: every third page of each kind is vertical.
  const seen = new Map<Kind, number>();
  const kindOffset: Record<Kind, number> = {
    scan: 0,
    photo: 1,
    open: 2,
    shadow: 0,
    "open+shadow": 1,
  };
  const layouts: Layout[] = slots.map((k) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return (n + kindOffset[k]) % 3 === 0 ? "vertical" : "horizontal";
  });

  // Ink: scans alternate blue and black; a quarter of all pages are pencil photos, including at
  // least one with a hard shadow and one open notebook; the other photos alternate black and blue.
  const inks: Ink[] = new Array<Ink>(count).fill("black");
  let scanBlue = rng.chance(0.5);
  slots.forEach((k, i) => {
    if (k === "scan") {
      inks[i] = scanBlue ? "blue" : "black";
      scanBlue = !scanBlue;
    }
  });
  const photos = slots.map((k, i) => (k === "scan" ? -1 : i)).filter((i) => i >= 0);
  const nPencil = Math.min(photos.length, Math.round(count * 0.25));
  const pencil = new Set<number>();
  const firstOf = (pred: (k: Kind) => boolean) =>
    photos.find((i) => pred(slots[i]!) && !pencil.has(i));
  for (const pred of [(k: Kind) => k.includes("shadow"), (k: Kind) => k.includes("open")]) {
    const i = firstOf(pred);
    if (i !== undefined && pencil.size < nPencil) pencil.add(i);
  }
  const rest = photos.filter((p) => !pencil.has(p));
  const need = Math.min(rest.length, nPencil - pencil.size);
  for (let j = 0; j < need; j++) pencil.add(rest[Math.floor(((j + 0.5) * rest.length) / need)]!);
  let photoBlue = rng.chance(0.5);
  for (const i of photos) {
    if (pencil.has(i)) inks[i] = "pencil";
    else {
      inks[i] = photoBlue ? "blue" : "black";
      photoBlue = !photoBlue;
    }
  }

  const fontOffset = rng.int(0, FONT_CYCLE.length - 1);
  let photoCount = 0;
  const specs: PageSpec[] = [];
  // Entries in order, cycling; a large-writing page takes the next entry short enough for it.
  const pending: Entry[] = [];
  const takeEntry = (pred: (e: Entry) => boolean) => {
    while (pending.length < entries.length) pending.push(...entries);
    const at = pending.findIndex((e, i) => i < entries.length && pred(e));
    return pending.splice(at >= 0 ? at : 0, 1)[0]!;
  };
  slots.forEach((kind, i) => {
    const capture = kind === "scan" ? "scan" : "photo";
    const openNotebook = kind.includes("open");
    let sizeClass: SizeClass =
      i % 6 === 2 ? "small" : i % 6 === 5 && !openNotebook ? "large" : "natural";
    let size: [number, number];
    if (capture === "scan") size = SCAN_SIZE;
    else {
      size =
        sizeClass === "large" || photoCount % 2 === 0
          ? PHOTO_12MP
          : PHOTO_SMALL[Math.floor(photoCount / 2) % PHOTO_SMALL.length]!;
      photoCount++;
    }
    const layout = layouts[i]!;
    const nominalPageWidth = capture === "scan" ? 1570 : size[0] === 3024 ? 2380 : size[0] * 0.8;
    let entry: Entry;
    if (sizeClass === "large") {
      entry = takeEntry((e) => fitsLarge(e, layout, nominalPageWidth));
      if (!fitsLarge(entry, layout, nominalPageWidth)) sizeClass = "natural";
    } else entry = takeEntry(() => true);
    const index = entries.indexOf(entry);
    const back = entries.length > 1 ? entries[(index + 11) % entries.length]! : null;
    specs.push({
      file: `page_${String(i + 1).padStart(3, "0")}.jpg`,
      seed: `${seed}/page-${i + 1}`,
      entry,
      backEntry: back && back.id !== entry.id ? back : null,
      layout,
      font: FONT_CYCLE[(i + fontOffset) % FONT_CYCLE.length]!,
      ink: inks[i]!,
      capture,
      openNotebook,
      hardShadow: kind.includes("shadow"),
      sizeClass,
      width: size[0],
      height: size[1],
    });
  });
  return specs;
}

/** The four committed fixtures: short tune entries, each a different condition. */
export function fixtureSpecs(entries: Entry[], seed: string): PageSpec[] {
  const byId = (id: string) => {
    const e = entries.find((x) => x.id === id);
    if (!e) throw new Error(`tune entry ${id} not found`);
    return e;
  };
  const base = {
    backEntry: null,
    hardShadow: false,
    openNotebook: false,
    sizeClass: "natural" as const,
  };
  return [
    {
      ...base,
      file: "scan-blue.jpg",
      seed: `${seed}/scan-blue`,
      entry: byId("t14"),
      layout: "horizontal",
      font: "Klee One Regular",
      ink: "blue",
      capture: "scan",
      width: 1131,
      height: 1600,
      tweaks: { minFontPx: 40, showThrough: false, header: true },
    },
    {
      ...base,
      file: "scan-black.jpg",
      seed: `${seed}/scan-black`,
      entry: byId("t12"),
      layout: "vertical",
      font: "kiloji - B",
      ink: "black",
      capture: "scan",
      width: 1131,
      height: 1600,
      tweaks: { minFontPx: 40, showThrough: false, header: false },
    },
    {
      ...base,
      file: "open-notebook.jpg",
      seed: `${seed}/open-notebook`,
      entry: byId("t22"),
      layout: "horizontal",
      font: "SetoFont",
      ink: "black",
      capture: "photo",
      openNotebook: true,
      width: 1200,
      height: 1600,
      tweaks: { minFontPx: 36, jpegQuality: 78, noiseSigma: 2.2, showThrough: false },
    },
    {
      ...base,
      file: "pencil.jpg",
      seed: `${seed}/pencil`,
      entry: byId("t11"),
      layout: "horizontal",
      font: "kiloji",
      ink: "pencil",
      capture: "photo",
      hardShadow: true,
      width: 1200,
      height: 1600,
      tweaks: { minFontPx: 38, jpegQuality: 78, noiseSigma: 2.2, showThrough: false },
    },
  ];
}
