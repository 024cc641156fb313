/**
 * Where a seed (タネ) sits in a transcription version's text, and where it goes when the text
 * changes. Offsets count Unicode code points of the NFC text, as people count characters (𠮷 is
 * one), never UTF-16 units as `String.length` and browser selections do; the exact quote travels
 * with them, so an anchor can always be checked against its text.
 *
 * Pure and browser-safe: the review page uses it to turn a selection into an anchor, the server to
 * check anchors and to re-anchor seeds when an edited page is approved again. It does not decide
 * what a seed is or store anything.
 */
import { diffChars } from "diff";
import { codePointLength } from "./text";

export interface Anchor {
  /** First code point of the quote in the NFC text. */
  start: number;
  /** One past the last code point. */
  end: number;
  quote: string;
}

export type ReanchorHow = "exact-near" | "unique-elsewhere" | "diff" | "none";

export type ReanchorResult =
  | {
      /** `kept`: same offsets and quote; `moved`: new offsets, and with `diff` a new quote. */
      status: "kept" | "moved";
      start: number;
      end: number;
      quote: string;
      how: Exclude<ReanchorHow, "none">;
    }
  | {
      /** 「要確認」: no rule found the same words; the seed must be looked at by a person. */
      status: "needs_check";
      how: "none";
      start?: undefined;
      end?: undefined;
      quote?: undefined;
    };

/** At least this share of the old quote, and of the new slice, must be characters the diff kept. */
const MIN_SURVIVING = 0.6;
/** A diff-mapped slice may be at most this much longer than the old quote. */
const MAX_GROWTH = 1.5;

/** The UTF-16 index where code point `cp` of `text` begins (clamped to the text). */
export function codePointsToUtf16(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    i += isPairAt(text, i) ? 2 : 1;
  }
  return i;
}

/** Code points `start` (inclusive) to `end` (exclusive) of `text`, clamped to the text. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const from = codePointsToUtf16(text, Math.max(0, start));
  const to = codePointsToUtf16(text, Math.max(0, end));
  return to > from ? text.slice(from, to) : "";
}

/**
 * True when `quote` is exactly code points `start`–`end` of `text`, both compared in NFC, and the
 * span is a non-empty part of the text. The server refuses a seed whose anchor fails this.
 */
export function checkAnchor(text: string, anchor: Anchor): boolean {
  const { start, end, quote } = anchor;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return false;
  const nfc = text.normalize("NFC");
  if (start < 0 || start >= end || end > codePointLength(nfc)) return false;
  return sliceCodePoints(nfc, start, end) === quote.normalize("NFC");
}

/**
 * The anchor for a browser selection given in UTF-16 positions of `text` (the text as shown, which
 * is the NFC version's text). A position inside a surrogate pair is moved outward, so the
 * selection keeps the whole character instead of half of it.
 */
export function anchorFromUtf16(text: string, startUtf16: number, endUtf16: number): Anchor {
  const clamp = (i: number) => Math.min(Math.max(0, Math.trunc(i)), text.length);
  let from = clamp(Math.min(startUtf16, endUtf16));
  let to = clamp(Math.max(startUtf16, endUtf16));
  if (from > 0 && isPairAt(text, from - 1)) from--;
  if (to > 0 && isPairAt(text, to - 1)) to++;
  const start = codePointLength(text.slice(0, from));
  const quote = text.slice(from, to);
  return { start, end: start + codePointLength(quote), quote };
}

/**
 * Where an anchor on `oldText` belongs in `newText`, tried in this order:
 * 1. `exact-near`: the same quote where the old place maps through the character diff (the
 *    occurrence nearest to that place, within the quote's length of it and still next to one of
 *    its old neighbours, see `inPlace`);
 * 2. `unique-elsewhere`: the same quote anywhere else, if it occurs exactly once;
 * 3. `diff`: the old span mapped through the diff, if the words there are still mostly the same
 *    (see MIN_SURVIVING, MAX_GROWTH) and still in place; the quote becomes that new slice;
 * 4. otherwise `needs_check`. An occurrence of the quote that the diff shows to be another old
 *    occurrence, left in place, is never taken: that would point the seed at other words.
 * An anchor that does not check against `oldText` also gets `needs_check`.
 */
export function reanchor(oldText: string, newText: string, anchor: Anchor): ReanchorResult {
  return reanchorAll(oldText, newText, [anchor])[0] ?? NEEDS_CHECK;
}

/** `reanchor` for every seed of a page, computing the diff once. */
export function reanchorAll(
  oldText: string,
  newText: string,
  anchors: readonly Anchor[],
): ReanchorResult[] {
  const before = oldText.normalize("NFC");
  const after = newText.normalize("NFC");
  let map: DiffMap | undefined;
  return anchors.map((anchor) => {
    if (!checkAnchor(before, anchor)) return NEEDS_CHECK;
    const { start, end } = anchor;
    const quote = anchor.quote.normalize("NFC");
    if (before === after) return { status: "kept", start, end, quote, how: "exact-near" };
    map ??= new DiffMap(before, after);
    return place(before, after, map, { start, end, quote });
  });
}

const NEEDS_CHECK: ReanchorResult = { status: "needs_check", how: "none" };

function place(before: string, after: string, map: DiffMap, anchor: Anchor): ReanchorResult {
  const { start, end, quote } = anchor;
  const length = end - start;
  const mappedStart = map.start(start);
  const mappedEnd = map.end(end);
  const found = (at: number, how: "exact-near" | "unique-elsewhere"): ReanchorResult => ({
    status: at === start ? "kept" : "moved",
    start: at,
    end: at + length,
    quote,
    how,
  });

  // Occurrences of the quote that are merely another old occurrence left where it was.
  const others = new Set(
    occurrences(before, quote)
      .filter((at) => at !== start && map.survives(at, at + length))
      .map((at) => map.start(at)),
  );
  const candidates = occurrences(after, quote).filter((at) => !others.has(at));

  // Near: within the quote's length of the mapped place, and still next to its old neighbours.
  let nearest: number | undefined;
  for (const at of candidates) {
    const distance = Math.abs(at - mappedStart);
    if (distance > length || !map.inPlace(start, end, at, at + length)) continue;
    if (nearest === undefined || distance < Math.abs(nearest - mappedStart)) nearest = at;
  }
  if (nearest !== undefined) return found(nearest, "exact-near");

  const [only] = candidates;
  if (only !== undefined && candidates.length === 1 && occurrences(after, quote).length === 1) {
    return found(only, "unique-elsewhere");
  }

  const newLength = mappedEnd - mappedStart;
  const kept = map.kept(start, end);
  if (
    newLength > 0 &&
    newLength <= MAX_GROWTH * length &&
    kept >= MIN_SURVIVING * length &&
    kept >= MIN_SURVIVING * newLength &&
    map.inPlace(start, end, mappedStart, mappedEnd)
  ) {
    return {
      status: "moved",
      start: mappedStart,
      end: mappedEnd,
      quote: sliceCodePoints(after, mappedStart, mappedEnd),
      how: "diff",
    };
  }
  return NEEDS_CHECK;
}

/** A run of the character diff, in code points: kept text, or a change (removed and/or added). */
interface Run {
  same: boolean;
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Old code-point positions mapped to new ones through `diffChars`. */
class DiffMap {
  private readonly runs: Run[] = [];
  private readonly oldLength: number;
  private readonly newLength: number;

  constructor(before: string, after: string) {
    let o = 0;
    let n = 0;
    for (const part of diffChars(before, after)) {
      // jsdiff 9 diffs code points, but its values are UTF-16 strings: count them ourselves.
      const size = codePointLength(part.value);
      if (!part.added && !part.removed) {
        this.runs.push({
          same: true,
          oldStart: o,
          oldEnd: o + size,
          newStart: n,
          newEnd: n + size,
        });
        o += size;
        n += size;
        continue;
      }
      // Neighbouring removals and additions form one change: a replaced stretch of text.
      let run = this.runs[this.runs.length - 1];
      if (!run || run.same) {
        run = { same: false, oldStart: o, oldEnd: o, newStart: n, newEnd: n };
        this.runs.push(run);
      }
      if (part.removed) {
        run.oldEnd += size;
        o += size;
      } else {
        run.newEnd += size;
        n += size;
      }
    }
    this.oldLength = o;
    this.newLength = n;
  }

  /** The run holding old code point `p`. */
  private runAt(p: number): Run | undefined {
    return this.runs.find((r) => r.oldStart <= p && p < r.oldEnd);
  }

  /** Where a span starting at old `p` starts now; text inserted just before it stays outside. */
  start(p: number): number {
    const run = this.runAt(p);
    if (!run) return this.newLength;
    return run.same ? run.newStart + (p - run.oldStart) : run.newStart;
  }

  /** Where a span ending at old `p` ends now; text inserted just after it stays outside. */
  end(p: number): number {
    if (p <= 0) return 0;
    const run = this.runAt(p - 1);
    if (!run) return this.newLength;
    return run.same ? run.newStart + (p - run.oldStart) : run.newEnd;
  }

  /** How many code points of old `start`–`end` the diff kept unchanged. */
  kept(start: number, end: number): number {
    let n = 0;
    for (const r of this.runs) {
      if (r.same) n += Math.max(0, Math.min(end, r.oldEnd) - Math.max(start, r.oldStart));
    }
    return n;
  }

  /**
   * Whether new `newStart`–`newEnd` is still where old `start`–`end` was: on at least one side
   * the old neighbouring character (or the edge of the text) is kept right next to it. A
   * character diff of Japanese text readily matches a few characters of a deleted line to a
   * look-alike elsewhere; such an island with both neighbours gone is not the old place.
   */
  inPlace(start: number, end: number, newStart: number, newEnd: number): boolean {
    const before =
      start === 0
        ? newStart === 0
        : this.kept(start - 1, start) === 1 && this.start(start - 1) === newStart - 1;
    const after =
      end === this.oldLength
        ? newEnd === this.newLength
        : this.kept(end, end + 1) === 1 && this.start(end) === newEnd;
    return before || after;
  }

  /** Whether every code point of old `start`–`end` was kept. */
  survives(start: number, end: number): boolean {
    return end <= this.oldLength && this.kept(start, end) === end - start;
  }
}

/** Code-point offsets of every occurrence of `quote` in `text`, overlapping ones included. */
function occurrences(text: string, quote: string): number[] {
  const found: number[] = [];
  if (!quote) return found;
  let cp = 0;
  let scanned = 0;
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) {
    cp += codePointLength(text.slice(scanned, i));
    scanned = i;
    found.push(cp);
  }
  return found;
}

function isPairAt(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdbff || i + 1 >= text.length) return false;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}
