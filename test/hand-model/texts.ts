/**
 * Text for the training lines: windows of our own diary entries (test/fixtures/seeds/tune.json,
 * never the holdout set and never ../shared/ocr-dev*), and sentences made up from the words of
 * the IPADIC dictionary that ships with kuromoji (nouns, verbs and adjectives in their written
 * forms, joined with particles and endings), so that the model sees many characters in many
 * contexts rather than 30 entries by heart.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import type { Rng } from "../ocr-gen/rng";
import { loadEntries } from "../ocr-gen/texts";

const require = createRequire(import.meta.url);

export interface Lexicon {
  nouns: string[];
  verbs: string[];
  adjectives: string[];
  katakana: string[];
}

const PARTICLES = ["は", "が", "を", "に", "で", "と", "も", "の", "へ", "から", "まで", "より"];
/** Endings that follow a verb's 連用形. */
const ENDINGS = [
  "ます。",
  "ました。",
  "たい。",
  "ません。",
  "ましょう。",
  "たいな。",
  "ながら、",
  "ましたか？",
  "ました！",
  "に行った。",
];
const ADVERBS = [
  "とても",
  "すこし",
  "ゆっくり",
  "また",
  "もう",
  "まだ",
  "ちょっと",
  "きっと",
  "たぶん",
  "いつも",
];
const OPENERS = [
  "今日は",
  "きのう",
  "あした",
  "こんど",
  "最近",
  "朝",
  "夜",
  "週末",
  "先週",
  "毎日",
];

/** Kanji counted over the dictionary's words: the common ones are in many words. */
function commonKanji(words: string[], keep: number): Set<string> {
  const counts = new Map<string, number>();
  for (const w of words) {
    for (const ch of w) if (/\p{Script=Han}/u.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  return new Set(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, keep)
      .map(([ch]) => ch),
  );
}

/** Words from IPADIC, limited to characters we can draw and to common kanji. */
export function loadLexicon(drawable: (ch: string) => boolean): Lexicon {
  const dict = path.join(path.dirname(require.resolve("kuromoji/package.json")), "dict");
  const text = zlib.gunzipSync(fs.readFileSync(path.join(dict, "tid_pos.dat.gz"))).toString("utf8");
  const nouns: string[] = [];
  const verbs: string[] = [];
  const adjectives: string[] = [];
  const katakana: string[] = [];
  const all: string[] = [];
  for (const entry of text.split("\u0000")) {
    const f = entry.split(",");
    const surface = f[0];
    if (!surface || surface.length > 6 || f.length < 7) continue;
    if (![...surface].every(drawable)) continue;
    all.push(surface);
    if (f[1] === "名詞" && (f[2] === "一般" || f[2] === "サ変接続" || f[2] === "形容動詞語幹")) {
      if (/^[\p{Script=Katakana}ー]+$/u.test(surface)) katakana.push(surface);
      else nouns.push(surface);
    } else if (f[1] === "動詞" && f[2] === "自立" && f[6] === "連用形") verbs.push(surface);
    else if (f[1] === "形容詞" && f[2] === "自立" && f[6] === "基本形") adjectives.push(surface);
  }
  const common = commonKanji(all, 2200);
  const ok = (w: string) => [...w].every((ch) => !/\p{Script=Han}/u.test(ch) || common.has(ch));
  return {
    nouns: [...new Set(nouns.filter(ok))],
    verbs: [...new Set(verbs.filter(ok))],
    adjectives: [...new Set(adjectives.filter(ok))],
    katakana: [...new Set(katakana)],
  };
}

export class TextSource {
  private readonly diary: string;

  constructor(
    private readonly lexicon: Lexicon,
    private readonly rng: Rng,
  ) {
    this.diary = loadEntries("tune")
      .entries.map((e) => e.lines.join(""))
      .join("");
  }

  private sentence(): string {
    const r = this.rng;
    const parts: string[] = [];
    if (r.chance(0.4)) parts.push(r.pick(OPENERS), r.chance(0.5) ? "、" : "");
    const phrases = r.int(1, 3);
    for (let i = 0; i < phrases; i++) {
      const noun = r.chance(0.2) ? r.pick(this.lexicon.katakana) : r.pick(this.lexicon.nouns);
      if (r.chance(0.2)) parts.push(r.pick(this.lexicon.adjectives));
      parts.push(noun, r.pick(PARTICLES));
    }
    if (r.chance(0.3)) parts.push(r.pick(ADVERBS));
    parts.push(r.pick(this.lexicon.verbs), r.pick(ENDINGS));
    if (r.chance(0.1)) {
      parts.unshift("「");
      parts.push("」");
    }
    if (r.chance(0.1)) parts.push(`${r.int(1, 12)}月${r.int(1, 28)}日`);
    return parts.join("");
  }

  /** One line of 6–26 characters. */
  line(): string {
    const r = this.rng;
    const length = r.int(6, 26);
    let text: string;
    if (r.chance(0.3)) {
      const start = r.int(0, this.diary.length - length);
      text = this.diary.slice(start, start + length);
    } else {
      text = "";
      while ([...text].length < length) text += this.sentence();
      text = [...text].slice(0, length).join("");
    }
    return text.trim();
  }
}
