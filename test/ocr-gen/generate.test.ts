import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { missingFonts } from "./fonts";
import { generatePage } from "./generate";
import { fixtureSpecs, planSet } from "./plan";
import { loadEntries } from "./texts";

// The generator needs the Debian handwriting fonts. Without them this says so and skips, except
// under CI=true, where .ci/run installs them and a missing font is a failure.
const missing = missingFonts();
if (missing.length > 0) {
  const message = `Handwriting fonts missing (${missing.map((f) => f.file).join(", ")}): apt-get install -y fonts-klee fonts-kiloji fonts-seto`;
  if (process.env.CI === "true") throw new Error(`CI=true and ${message}`);
  console.warn(`\n*** SKIPPING the page generator tests: ${message} ***\n`);
}

describe.skipIf(missing.length > 0)("the page generator", () => {
  it("writes the same page for the same seed, with the entry as its ground truth", async () => {
    const spec = fixtureSpecs(loadEntries("tune").entries, "gen-test")[0]!;
    const small = { ...spec, width: 566, height: 800, tweaks: { ...spec.tweaks, minFontPx: 20 } };
    const a = await generatePage(small);
    const b = await generatePage(small);
    expect(a.jpeg.equals(b.jpeg)).toBe(true);
    expect(a.record.text).toBe(spec.entry.lines.join("\n"));
    expect(a.record.ink).toBe("blue");
    expect(a.record.distortions.capture).toBe("scan");
    const meta = await sharp(a.jpeg).metadata();
    expect([meta.width, meta.height]).toEqual([566, 800]);

    // Blue ballpoint is blue: the ink (the darkest pixels) has more blue than red.
    const { data, info } = await sharp(a.jpeg).raw().toBuffer({ resolveWithObject: true });
    let red = 0;
    let blue = 0;
    let n = 0;
    for (let i = 0; i < info.width * info.height; i++) {
      const [r, g, b] = [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
      if (r + g + b < 330) {
        red += r;
        blue += b;
        n++;
      }
    }
    expect(n).toBeGreaterThan(200);
    expect(blue / n).toBeGreaterThan(red / n + 25);
  });

  it("plans a set with its share of every capture, ink and layout, and the sets share no text", () => {
    const tune = planSet(loadEntries("tune").entries, 40, "gen-tune-1");
    const holdout = planSet(loadEntries("holdout").entries, 24, "gen-holdout-1");
    for (const set of [tune, holdout]) {
      expect(new Set(set.map((p) => p.capture))).toEqual(new Set(["scan", "photo"]));
      expect(new Set(set.map((p) => p.ink))).toEqual(new Set(["black", "blue", "pencil"]));
      expect(new Set(set.map((p) => p.layout))).toEqual(new Set(["horizontal", "vertical"]));
      expect(set.some((p) => p.openNotebook)).toBe(true);
      expect(set.some((p) => p.hardShadow)).toBe(true);
      expect(new Set(set.map((p) => p.sizeClass)).size).toBe(3);
    }
    const tuneTexts = new Set(tune.map((p) => p.entry.lines.join("")));
    expect(holdout.filter((p) => tuneTexts.has(p.entry.lines.join("")))).toEqual([]);
  });
});
