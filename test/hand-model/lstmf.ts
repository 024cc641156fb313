/**
 * Training lines → tesseract's `.lstmf` samples.
 *
 * Each line image `<id>.png` with its text `<id>.gt.txt` gets a one-word box file (`WordStr`, the
 * format tesseract's own line trainer uses) and is run through `tesseract … --psm 13 lstm.train`,
 * which writes `<id>.lstmf`: the line normalised as the recognizer sees it, with its text.
 * Vertical columns are turned a quarter left first, as tesseract turns a vertical block before it
 * reads it with `jpn_vert`.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";

const run = promisify(execFile);

export interface LstmfOptions {
  dir: string;
  /** Turn vertical columns into lines before making samples. */
  vertical?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Writes `<id>.lstmf` for every `<id>.png` + `<id>.gt.txt` in dir; returns the sample paths. */
export async function makeLstmf(o: LstmfOptions): Promise<string[]> {
  const ids = fs
    .readdirSync(o.dir)
    .filter((f) => f.endsWith(".gt.txt"))
    .map((f) => f.slice(0, -".gt.txt".length))
    .sort();
  const samples: string[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++]!;
      const base = path.join(o.dir, id);
      if (!fs.existsSync(`${base}.lstmf`)) {
        const text = fs.readFileSync(`${base}.gt.txt`, "utf8").trim();
        let image = `${base}.png`;
        if (o.vertical) {
          image = `${base}.line.png`;
          await sharp(`${base}.png`).rotate(-90).toFile(image);
        }
        const { width, height } = await sharp(image).metadata();
        const box = `WordStr 0 0 ${width} ${height} 0 #${text}\n\t ${width} ${height} ${width! + 1} ${height! + 1} 0\n`;
        const stem = image.slice(0, -".png".length);
        fs.writeFileSync(`${stem}.box`, box);
        await run("tesseract", [image, stem, "--psm", "13", "lstm.train"], {
          env: { ...process.env, OMP_THREAD_LIMIT: "1" },
        });
        if (stem !== base) fs.renameSync(`${stem}.lstmf`, `${base}.lstmf`);
      }
      if (fs.existsSync(`${base}.lstmf`)) samples.push(`${base}.lstmf`);
      done += 1;
      o.onProgress?.(done, ids.length);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 2 }, worker));
  return samples.sort();
}
