/**
 * `npm run ocr:gen -- --set tune|holdout --out <dir> [--count N] [--seed S]` writes a page set;
 * `npm run ocr:gen -- --fixtures [--out <dir>]` rewrites the four small test fixtures.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { FIXTURE_DIR, generateFixtures, generateSet } from "./generate";
import { REPO_ROOT, type TextSet } from "./texts";

const { values } = parseArgs({
  options: {
    set: { type: "string" },
    out: { type: "string" },
    count: { type: "string" },
    seed: { type: "string" },
    fixtures: { type: "boolean", default: false },
  },
});

const log = (line: string) => console.log(line);
const t0 = performance.now();

if (values.fixtures) {
  const out = values.out ?? path.join(REPO_ROOT, FIXTURE_DIR);
  const manifest = await generateFixtures(out, log);
  console.log(`${manifest.page_count} fixture pages in ${out}`);
} else {
  const set = values.set as TextSet | undefined;
  if (set !== "tune" && set !== "holdout") {
    console.error(
      "usage: npm run ocr:gen -- --set tune|holdout --out <dir> [--count N] [--seed S]",
    );
    process.exit(2);
  }
  if (!values.out) {
    console.error("--out <dir> is required");
    process.exit(2);
  }
  const count = values.count ? Number(values.count) : undefined;
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    console.error("--count must be a positive whole number");
    process.exit(2);
  }
  const manifest = await generateSet({ set, out: values.out, count, seed: values.seed, log });
  console.log(
    `${manifest.page_count} pages (${set}, seed ${manifest.seed}) in ${values.out}, ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}
