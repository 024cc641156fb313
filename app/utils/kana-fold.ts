/**
 * Folding Japanese text so that spellings of the same words compare equal, with a map from every
 * folded code point back to the code point of the original text it came from — so a match found
 * in the folded text can be shown (and stored) as written. Pure: used on the server and in the
 * browser.
 *
 * The base fold (`foldForMatch`) is NFKC per character cluster (half-width ｶﾞ → が), katakana →
 * hiragana, lower case, and white space dropped. `foldForSearch` can also expand iteration marks
 * (人々 → 人人, こゝ → ここ) and drop okurigana written between two kanji (申し込み → 申込み), the
 * variants that defeat name matching in handwriting.
 */

export interface Folded {
  /** The folded text, one code point per element. */
  folded: string[];
  /** For each folded code point, the index of the original code point it came from. */
  origin: number[];
  /** For each folded code point, the end (exclusive) of the original cluster it came from. */
  originEnd: number[];
}

const COMBINING = /^[\u3099\u309a\uff9e\uff9f\p{M}]$/u;
const SPACE = /^\s$/u;
const KANJI = /^[\p{Script=Han}\u3005\u3006\u3007]$/u;
const HIRAGANA = /^[\u3041-\u3096]$/u;
// Particles: hiragana between two kanji that are words of their own, not okurigana (公園の桜).
const PARTICLES = new Set(["の", "が", "を", "に", "は", "と", "で", "へ", "も", "や"]);

/**
 * Small kana and their full-size forms, folded only where asked (`smallKana`): hands, and OCR of
 * hands, do not keep the two apart, and older writing uses full size (思つて, ちよつと). Not part
 * of the search keys stored with resources.
 */
const SMALL_KANA: Record<string, string> = {
  ぁ: "あ",
  ぃ: "い",
  ぅ: "う",
  ぇ: "え",
  ぉ: "お",
  っ: "つ",
  ゃ: "や",
  ゅ: "ゆ",
  ょ: "よ",
  ゎ: "わ",
  ゕ: "か",
  ゖ: "け",
};

function foldChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  // Katakana ァ..ヶ and the iteration marks ヽヾ fold to their hiragana.
  if ((code >= 0x30a1 && code <= 0x30f6) || code === 0x30fd || code === 0x30fe)
    return String.fromCodePoint(code - 0x60);
  return ch.toLowerCase();
}

/**
 * NFKC, katakana → hiragana, lower case, no white space (and with `smallKana`, small kana → full
 * size); with the origin of each code point.
 */
export function foldForMatch(text: string, options: { smallKana?: boolean } = {}): Folded {
  const chars = Array.from(text);
  const folded: string[] = [];
  const origin: number[] = [];
  const originEnd: number[] = [];
  let i = 0;
  while (i < chars.length) {
    // A base character with its (possibly half-width) voicing marks is normalised as one cluster.
    let j = i + 1;
    while (j < chars.length && COMBINING.test(chars[j]!)) j++;
    const cluster = chars.slice(i, j).join("").normalize("NFKC");
    for (const ch of cluster) {
      if (SPACE.test(ch)) continue;
      const f = foldChar(ch);
      folded.push(options.smallKana ? (SMALL_KANA[f] ?? f) : f);
      origin.push(i);
      originEnd.push(j);
    }
    i = j;
  }
  return { folded, origin, originEnd };
}

export interface SearchFoldOptions {
  /** Expand 々 (kanji), ゝゞ (hiragana) to the character they repeat. Default true. */
  iterationMarks?: boolean;
  /** Drop hiragana runs of up to two characters between two kanji, except particles. Default true. */
  okurigana?: boolean;
}

function voiced(kana: string): string {
  const composed = (kana + "\u3099").normalize("NFC");
  return Array.from(composed).length === 1 ? composed : kana;
}

/** `foldForMatch` plus iteration marks and okurigana folding, for matching names and aliases. */
export function foldForSearch(text: string, options: SearchFoldOptions = {}): Folded {
  const base = foldForMatch(text);
  let { folded, origin, originEnd } = base;
  if (options.iterationMarks ?? true) {
    const f: string[] = [];
    for (let k = 0; k < folded.length; k++) {
      const ch = folded[k]!;
      const prev = f[f.length - 1];
      if (ch === "々" && prev && KANJI.test(prev)) f.push(prev);
      else if (ch === "ゝ" && prev && HIRAGANA.test(prev)) f.push(prev);
      else if (ch === "ゞ" && prev && HIRAGANA.test(prev)) f.push(voiced(prev));
      else f.push(ch);
    }
    folded = f;
  }
  if (options.okurigana ?? true) {
    const f: string[] = [];
    const o: number[] = [];
    const e: number[] = [];
    let k = 0;
    while (k < folded.length) {
      const ch = folded[k]!;
      if (HIRAGANA.test(ch) && k > 0 && KANJI.test(folded[k - 1]!)) {
        let m = k;
        while (m < folded.length && HIRAGANA.test(folded[m]!)) m++;
        const run = folded.slice(k, m);
        const betweenKanji = m < folded.length && KANJI.test(folded[m]!);
        if (betweenKanji && run.length <= 2 && !run.some((c) => PARTICLES.has(c))) {
          k = m;
          continue;
        }
      }
      f.push(ch);
      o.push(origin[k]!);
      e.push(originEnd[k]!);
      k++;
    }
    folded = f;
    origin = o;
    originEnd = e;
  }
  return { folded, origin, originEnd };
}

/** The key two names share when they would match the same text. */
export function searchKey(text: string): string {
  return foldForSearch(text).folded.join("");
}

/** Start of every occurrence of `needle` in `hay` (non-overlapping, left to right). */
export function indexesOfSeq(hay: string[], needle: string[]): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  outer: for (let i = 0; i + needle.length <= hay.length;) {
    for (let k = 0; k < needle.length; k++)
      if (hay[i + k] !== needle[k]) {
        i++;
        continue outer;
      }
    found.push(i);
    i += needle.length;
  }
  return found;
}

/** First start of `needle` in `hay`, or -1. */
export function indexOfSeq(hay: string[], needle: string[]): number {
  if (needle.length === 0) return -1;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** The original code-point span [start, end) behind folded positions [at, at + length). */
export function originalSpan(
  f: Folded,
  at: number,
  length: number,
): { start: number; end: number } {
  return { start: f.origin[at]!, end: f.originEnd[at + length - 1]! };
}
