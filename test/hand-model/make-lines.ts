/**
 * Writes training lines: `<id>.png` and `<id>.gt.txt` (the text, crossed-out characters not
 * included) and `lines.tsv` (id, layout, hand, pen).
 *
 * Usage: npx tsx test/hand-model/make-lines.ts --out <dir> --count N --seed S [--layout vertical]
 */
import fs from "node:fs";
import path from "node:path";
import { Rng } from "../ocr-gen/rng";
import { loadLexicon, TextSource } from "./texts";
import { hasStrokes, renderLine, type Layout, type RenderOptions } from "./writer";

/** Characters a font writes when KanjiVG has no strokes for them. */
const FONT_CHARS = /^[0-9A-Za-z！？!?「」『』（）…〜・：]$/;

export function drawable(ch: string): boolean {
  return hasStrokes(ch) || FONT_CHARS.test(ch);
}

export async function makeLines(
  o: { out: string; count: number; seed: string; layout: Layout } & RenderOptions,
) {
  fs.mkdirSync(o.out, { recursive: true });
  const rng = new Rng(o.seed);
  const texts = new TextSource(loadLexicon(drawable), rng.fork("text"));
  const draw = rng.fork("draw");
  const rows: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const id = `${o.layout === "vertical" ? "v" : "h"}${String(i).padStart(6, "0")}`;
    let text = texts.line();
    text = Array.from(text).filter(drawable).join("");
    if (text.length < 3) continue;
    const line = await renderLine(text, draw, o.layout, o);
    fs.writeFileSync(path.join(o.out, `${id}.png`), line.png);
    fs.writeFileSync(path.join(o.out, `${id}.gt.txt`), `${line.text}\n`);
    rows.push([id, o.layout, line.hand, line.writer.pen].join("\t"));
  }
  fs.writeFileSync(path.join(o.out, "lines.tsv"), rows.join("\n") + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback?: string) => {
    const i = process.argv.indexOf(`--${name}`);
    const v = i >= 0 ? process.argv[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  await makeLines({
    out: arg("out"),
    count: Number(arg("count", "100")),
    seed: arg("seed", "hand-1"),
    layout: arg("layout", "horizontal") as Layout,
  });
}
