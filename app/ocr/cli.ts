/**
 * npm run --silent ocr -- [--layout auto|horizontal|vertical] <image>...
 *
 * The app's own pipeline from the command line, for support staff and benchmarks. Prints one
 * JSON object per line: {"file", "layout", "text", "confidence", "ms"}. Pages go through the
 * worker pool in parallel; lines come out as pages finish.
 */
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { MAX_PIXELS, VIEW_LONG_SIDE } from "~/storage/images.server";
import { recognizePage, type LayoutChoice } from "./pipeline.server";
import { TesseractPool } from "./tesseract-pool.server";

const { values, positionals } = parseArgs({
  options: { layout: { type: "string", default: "auto" } },
  allowPositionals: true,
});
const layout = values.layout as LayoutChoice;
if (!["auto", "horizontal", "vertical"].includes(layout) || positionals.length === 0) {
  console.error("Usage: npm run --silent ocr -- [--layout auto|horizontal|vertical] <image>...");
  process.exit(2);
}

/** The same viewing image the app derives from an upload. */
export async function viewingImageOf(bytes: Buffer) {
  return sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "truncated" })
    .autoOrient()
    .resize(VIEW_LONG_SIDE, VIEW_LONG_SIDE, { fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 88 })
    .toBuffer();
}

const pool = new TesseractPool();
let failed = 0;
await Promise.all(
  positionals.map(async (file) => {
    const started = performance.now();
    try {
      const viewing = await viewingImageOf(await fs.readFile(file));
      const result = await recognizePage(viewing, pool, { layout });
      process.stdout.write(
        JSON.stringify({
          file,
          layout: result.layout,
          text: result.text,
          confidence: result.confidence,
          ms: Math.round(performance.now() - started),
        }) + "\n",
      );
    } catch (error) {
      failed++;
      console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }),
);
await pool.close();
process.exit(failed ? 1 : 0);
