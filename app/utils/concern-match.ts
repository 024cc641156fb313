/**
 * Finding 見守り concern phrases in diary text. Handwriting mixes kana and kanji, full- and
 * half-width forms and stray spaces (OCR adds some), so both sides are folded before comparing:
 * NFKC, katakana → hiragana, small kana → full size, lower case, and all white space dropped.
 * Offsets in the answer are code points of the original text, so the matched words can be shown
 * as written.
 */
import { foldForMatch, indexOfSeq } from "./kana-fold";

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

// The folding is shared with seed autolink (app/utils/kana-fold.ts); re-exported for callers.
export { foldForMatch };

export const CONTEXT_CHARS = 20;

/** A missed 見守り flag is worse than a typo: っ read as つ (or written so) still matches. */
const FOLD = { smallKana: true };

/** Every phrase found in the text (the first place each one occurs), in reading order. */
export function findConcerns(text: string, phrases: ConcernPhraseForms[]): ConcernMatch[] {
  const chars = Array.from(text);
  const { folded, origin } = foldForMatch(text, FOLD);
  const matches: ConcernMatch[] = [];
  for (const p of phrases) {
    let best: { start: number; end: number } | null = null;
    for (const form of [p.phrase, ...p.forms]) {
      const needle = foldForMatch(form, FOLD).folded;
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
  return foldForMatch(phrase, FOLD).folded.join("");
}
