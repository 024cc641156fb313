/**
 * Corrections of confusions the Japanese models make on handwriting, decided by the characters
 * around them rather than by any one page (and `isPrintedHeader`, the one line the notebook's
 * printer wrote). Each rule reflects how Japanese is written:
 *  - circled numbers (①–⑳) do not occur in diaries; they are handwritten digits;
 *  - small ぃ/ぅ hardly occur in hiragana words; they are い/う written small;
 *  - katakana リ/ヘ/ベ/ペ between hiragana are the look-alike hiragana り/へ/べ/ぺ, and the
 *    reverse inside katakana words;
 *  - the long-vowel mark ー only follows katakana; elsewhere it is the kanji 一, and 一 right after
 *    katakana is ー;
 *  - stray Latin quote marks (` “ ” ") next to Japanese are noise from pen strokes;
 *  - a full-size つ after a kanji or kana and before て/た or a ぱ-row kana is the small っ of a
 *    verb or adjective (思つて, 楽しかつた, やつぱり), as is つ in ちょつと/もつと/きつと/ずつと/やつと:
 *    full-size つ ends a word (一つ, いつ), and those are not followed by these; so in common
 *    words that are never written with a full-size つ (ゆっくり, しっかり, いっしょ…).
 */
const HIRAGANA = /[\u3041-\u309f]/;
const KATAKANA = /[\u30a1-\u30fa\u30fc]/;

const circled = new Map<string, string>();
for (let i = 1; i <= 20; i++) circled.set(String.fromCodePoint(0x2460 + i - 1), String(i));

const KANJI = /\p{Script=Han}/u;
const BEFORE_SMALL_TSU = new Set(["て", "た", "ぱ", "ぴ", "ぷ", "ぺ", "ぽ"]);
const SMALL_TSU_BEFORE_TO = new Set(["ょ", "も", "き", "ず", "や", "じ", "ほ", "そ"]);
/** Common words with っ, as OCR reads them with a full-size つ (and よ for ょ). */
const SMALL_TSU_WORDS = [
  "ゆっくり",
  "びっくり",
  "そっくり",
  "すっかり",
  "しっかり",
  "がっかり",
  "うっかり",
  "はっきり",
  "すっきり",
  "いっしょ",
  "ちょっと",
  "まっすぐ",
  "ちょっぴり",
].flatMap((word) => {
  const full = word.replace("っ", "つ");
  return [full, full.replace("ょ", "よ")].map((written) => [written, word] as const);
});

const toHiragana: Record<string, string> = { リ: "り", ヘ: "へ", ベ: "べ", ペ: "ぺ" };
const toKatakana: Record<string, string> = { り: "リ", へ: "ヘ", べ: "ベ", ぺ: "ペ" };

/**
 * The printed "No. ____ Date ____" at the top of many notebook pages, read as a line of its own
 * when nothing is written in it (「NO Date」, or with its letters misread after the D). It is the
 * notebook maker's, not the writer's. A header with something written in it ("No.3 Date 6/12")
 * does not match and is kept.
 */
const PRINTED_HEADER = /^(?:n[o0][.,、。]?d\D{0,4}|n[o0][.,、。]|d[a-z]te[.,、。]?)$/iu;

export function isPrintedHeader(line: string): boolean {
  return PRINTED_HEADER.test(line.replace(/\s/g, ""));
}

export function postCorrectLine(line: string): string {
  const chars = Array.from(line.replace(/[①-⑳]/g, (c) => circled.get(c) ?? c));
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const prev = out[out.length - 1] ?? "";
    const next = chars[i + 1] ?? "";
    const isJapanese = (s: string) => /[^\p{ASCII}]/u.test(s);
    if (
      (c === "`" || c === "“" || c === "”" || c === '"') &&
      (isJapanese(prev) || isJapanese(next))
    )
      continue;
    if (c === "ぃ") {
      out.push("い");
    } else if (c === "ぅ") {
      out.push("う");
    } else if (
      c in toHiragana &&
      (HIRAGANA.test(prev) || HIRAGANA.test(next)) &&
      !KATAKANA.test(prev) &&
      !KATAKANA.test(next)
    ) {
      out.push(toHiragana[c]!);
    } else if (
      c in toKatakana &&
      KATAKANA.test(prev) &&
      prev !== "ー" &&
      (KATAKANA.test(next) || next === "")
    ) {
      out.push(toKatakana[c]!);
    } else if (
      c === "つ" &&
      ((BEFORE_SMALL_TSU.has(next) && (KANJI.test(prev) || HIRAGANA.test(prev))) ||
        (next === "と" && SMALL_TSU_BEFORE_TO.has(prev)))
    ) {
      out.push("っ");
    } else if (c === "ー" && !KATAKANA.test(prev)) {
      out.push("一");
    } else if (c === "一" && KATAKANA.test(prev) && prev !== "ー") {
      out.push("ー");
    } else {
      out.push(c);
    }
  }
  let text = out.join("");
  for (const [written, word] of SMALL_TSU_WORDS) text = text.replaceAll(written, word);
  return text;
}
