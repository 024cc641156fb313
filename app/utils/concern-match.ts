/**
 * Finding 見守り concern phrases in diary text. Handwriting mixes kana and kanji, full- and
 * half-width forms and stray spaces (OCR adds some), so both sides are folded before comparing:
 * NFKC, katakana → hiragana, lower case, and all white space dropped. Offsets in the answer are
 * code points of the original text, so the matched words can be shown as written.
 */

export interface ConcernPhraseForms {
  id: number;
  phrase: string;
  forms: string[];
}

export interface ConcernMatch {
  phraseId: number;
  phrase: string;
  /** Code-point offsets in the original text. */
  start: number;
  end: number;
  matched: string;
  before: string;
  after: string;
}

const COMBINING = /^[\u3099\u309a\uff9e\uff9f\p{M}]$/u;
const SPACE = /^\s$/u;

function foldChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  // Katakana ァ..ヶ and the iteration marks ヽヾ fold to their hiragana.
  if ((code >= 0x30a1 && code <= 0x30f6) || code === 0x30fd || code === 0x30fe)
    return String.fromCodePoint(code - 0x60);
  return ch.toLowerCase();
}

/** The folded text, and for each of its code points the original code point it came from. */
export function foldForMatch(text: string): { folded: string[]; origin: number[] } {
  const chars = Array.from(text);
  const folded: string[] = [];
  const origin: number[] = [];
  let i = 0;
  while (i < chars.length) {
    // A base character with its (possibly half-width) voicing marks is normalised as one cluster.
    let j = i + 1;
    while (j < chars.length && COMBINING.test(chars[j]!)) j++;
    const cluster = chars.slice(i, j).join("").normalize("NFKC");
    for (const ch of cluster) {
      if (SPACE.test(ch)) continue;
      folded.push(foldChar(ch));
      origin.push(i);
    }
    i = j;
  }
  return { folded, origin };
}

function indexOfSeq(hay: string[], needle: string[]): number {
  if (needle.length === 0) return -1;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export const CONTEXT_CHARS = 20;

/** Every phrase found in the text (the first place each one occurs), in reading order. */
export function findConcerns(text: string, phrases: ConcernPhraseForms[]): ConcernMatch[] {
  const chars = Array.from(text);
  const { folded, origin } = foldForMatch(text);
  const matches: ConcernMatch[] = [];
  for (const p of phrases) {
    let best: { start: number; end: number } | null = null;
    for (const form of [p.phrase, ...p.forms]) {
      const needle = foldForMatch(form).folded;
      const at = indexOfSeq(folded, needle);
      if (at < 0) continue;
      const start = origin[at]!;
      const end = origin[at + needle.length - 1]! + 1;
      if (!best || start < best.start) best = { start, end };
    }
    if (!best) continue;
    matches.push({
      phraseId: p.id,
      phrase: p.phrase,
      start: best.start,
      end: best.end,
      matched: chars.slice(best.start, best.end).join(""),
      before: chars.slice(Math.max(0, best.start - CONTEXT_CHARS), best.start).join(""),
      after: chars.slice(best.end, best.end + CONTEXT_CHARS).join(""),
    });
  }
  return matches.sort((a, b) => a.start - b.start);
}

/** The key two phrases share when they would match the same text (for refusing duplicates). */
export function phraseKey(phrase: string): string {
  return foldForMatch(phrase).folded.join("");
}
