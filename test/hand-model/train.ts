/**
 * `npm run train:hand`: fine-tunes tesseract's Japanese LSTM models on synthetic handwriting and
 * writes the models the app reads with (app/ocr/models/hand/jpn*.traineddata.gz).
 *
 * 1. Start models: the 8-bit `4.0.0_best_int` models of @tesseract.js-data/jpn and jpn_vert,
 *    turned back into float models (int-to-float.ts), because lstmtraining only continues from
 *    float models.
 * 2. Training lines: written by our own simulated writers from KanjiVG strokes and handwriting
 *    fonts (make-lines.ts, writer.ts), horizontal lines for `jpn`, columns for `jpn_vert`,
 *    plus a separate evaluation set from another seed. Nothing from ../shared/ocr-dev* is used.
 * 3. `lstmtraining --continue_from` for a fixed number of iterations, then `--stop_training
 *    --convert_to_int` (the app runs 8-bit models: same speed as before).
 *
 * Everything is deterministic for a seed up to tesseract's own threading; the work folder keeps
 * lines, samples and checkpoints so a run can be continued.
 *
 * Usage: npm run train:hand -- [--work /tmp/hand-train] [--lines 6000] [--iterations 6000]
 *          [--layouts horizontal,vertical] [--seed hand-1] [--pipeline-look] [--tuck-stops]
 *
 * `--pipeline-look` writes lines as the pipeline hands them to tesseract, `--tuck-stops` puts
 * horizontal 、。 against the character before (writer.ts, `RenderOptions`); `--from <dir>` trains
 * further from 8-bit models of ours (a folder with `jpn.traineddata.gz` / `jpn_vert…`) instead
 * of tesseract's. The shipped models (decision 034) are run 3:
 *   npm run train:hand -- --lines 4000 --iterations 4000 --seed hand-3 --pipeline-look
 * Runs 4 and 5 (decision 035, not shipped: they read ocr-dev-hand worse) were
 *   npm run train:hand -- --lines 4000 --iterations 4000 --seed hand-4 --pipeline-look --tuck-stops
 *   npm run train:hand -- --lines 3000 --iterations 2000 --seed hand-5 --pipeline-look --tuck-stops
 *     --from <a copy of app/ocr/models/hand>
 * (run 4 also wrote a quarter of its lines with fonts, since set back to 15 %).
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { extractComponent, intToFloat, LSTM_COMPONENT } from "./int-to-float";
import { makeLstmf } from "./lstmf";
import { makeLines } from "./make-lines";
import type { RenderOptions } from "./writer";

const require = createRequire(import.meta.url);
const run = promisify(execFile);

type Layout = "horizontal" | "vertical";
const LANG: Record<Layout, "jpn" | "jpn_vert"> = { horizontal: "jpn", vertical: "jpn_vert" };
export const MODEL_DIR = path.join("app", "ocr", "models", "hand");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function log(message: string) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/**
 * Base model, as a traineddata and a float `.lstm`: the 8-bit best model from npm, or with `from`
 * an 8-bit model of ours (a folder holding `<lang>.traineddata.gz`, e.g. the shipped models) to
 * train further.
 */
async function baseModel(work: string, lang: string, from?: string) {
  const traineddata = path.join(work, `${lang}.base.traineddata`);
  const floatLstm = path.join(work, `${lang}.base-float.lstm`);
  if (!fs.existsSync(floatLstm)) {
    const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const gz = fs.readFileSync(
      path.join(from ?? path.join(pkg, "4.0.0_best_int"), `${lang}.traineddata.gz`),
    );
    fs.writeFileSync(traineddata, zlib.gunzipSync(gz));
    const intLstm = extractComponent(fs.readFileSync(traineddata), LSTM_COMPONENT);
    fs.writeFileSync(floatLstm, intToFloat(intLstm).output);
  }
  return { traineddata, floatLstm };
}

/** How the training lines are written. */
type LineLook = Required<Pick<RenderOptions, "pipelineLook" | "tuckStops">>;

async function ensureLines(
  out: string,
  count: number,
  seed: string,
  layout: Layout,
  look: LineLook,
) {
  const have = fs.existsSync(out) ? fs.readdirSync(out).filter((f) => f.endsWith(".gt.txt")) : [];
  if (have.length >= count * 0.95) return;
  await makeLines({ out, count, seed, layout, ...look });
}

function lstmtraining(tag: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // One thread each: OpenMP threads make a small network slower here, and the two layouts train
    // side by side instead.
    const child = spawn("lstmtraining", args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OMP_THREAD_LIMIT: "1" },
    });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) {
        if (/At iteration|Finished|Error/.test(line)) log(`${tag}: ${line.trim()}`);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`lstmtraining exited ${code}`)),
    );
  });
}

async function trainLayout(
  work: string,
  layout: Layout,
  o: { lines: number; iterations: number; seed: string; from?: string } & LineLook,
) {
  const lang = LANG[layout];
  const dir = path.join(work, layout);
  fs.mkdirSync(dir, { recursive: true });
  const base = await baseModel(work, lang, o.from);

  log(
    `${layout}: writing ${o.lines} training lines and ${Math.round(o.lines / 10)} evaluation lines`,
  );
  await ensureLines(path.join(dir, "train"), o.lines, `${o.seed}-${layout}-train`, layout, o);
  await ensureLines(
    path.join(dir, "eval"),
    Math.round(o.lines / 10),
    `${o.seed}-${layout}-eval`,
    layout,
    o,
  );

  log(`${layout}: making .lstmf samples`);
  const progress = (done: number, total: number) => {
    if (done % 1000 === 0 || done === total) log(`  ${done}/${total}`);
  };
  const train = await makeLstmf({
    dir: path.join(dir, "train"),
    vertical: layout === "vertical",
    onProgress: progress,
  });
  const evalSet = await makeLstmf({ dir: path.join(dir, "eval"), vertical: layout === "vertical" });
  fs.writeFileSync(path.join(dir, "train.txt"), train.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "eval.txt"), evalSet.join("\n") + "\n");

  const checkpoints = path.join(dir, "checkpoints");
  fs.mkdirSync(checkpoints, { recursive: true });
  const checkpoint = path.join(checkpoints, `${lang}_checkpoint`);
  log(`${layout}: fine-tuning ${o.iterations} iterations`);
  await lstmtraining(layout, [
    "--continue_from",
    fs.existsSync(checkpoint) ? checkpoint : base.floatLstm,
    "--traineddata",
    base.traineddata,
    "--model_output",
    path.join(checkpoints, lang),
    "--train_listfile",
    path.join(dir, "train.txt"),
    "--eval_listfile",
    path.join(dir, "eval.txt"),
    "--learning_rate",
    "0.0001",
    "--max_iterations",
    String(o.iterations),
    "--target_error_rate",
    "0.01",
    "--debug_interval",
    "0",
  ]);

  const out = path.join(dir, `${lang}.traineddata`);
  await run("lstmtraining", [
    "--stop_training",
    "--convert_to_int",
    "--continue_from",
    checkpoint,
    "--traineddata",
    base.traineddata,
    "--model_output",
    out,
  ]);
  fs.mkdirSync(MODEL_DIR, { recursive: true });
  const target = path.join(MODEL_DIR, `${lang}.traineddata.gz`);
  fs.writeFileSync(target, zlib.gzipSync(fs.readFileSync(out), { level: 9 }));
  log(`${layout}: wrote ${target}`);
}

async function main() {
  const work = path.resolve(arg("work", "/tmp/hand-train"));
  const layouts = arg("layouts", "horizontal,vertical").split(",") as Layout[];
  const o = {
    lines: Number(arg("lines", "6000")),
    iterations: Number(arg("iterations", "6000")),
    seed: arg("seed", "hand-1"),
    pipelineLook: process.argv.includes("--pipeline-look"),
    tuckStops: process.argv.includes("--tuck-stops"),
    from: process.argv.includes("--from") ? path.resolve(arg("from", "")) : undefined,
  };
  fs.mkdirSync(work, { recursive: true });
  await Promise.all(layouts.map((layout) => trainLayout(work, layout, o)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
