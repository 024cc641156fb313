/**
 * The shape of a transcription's lines, shared by the server (versions) and the page editor.
 * Boxes are in pixels of the viewing image. Confidence and the unsure-character marks come from
 * OCR and only stay on a line while its text is still exactly what OCR read.
 */

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface TranscriptLine {
  text: string;
  bbox: Box | null;
  confidence: number | null;
  /** Code-point offsets of characters OCR was unsure about. */
  unsure: number[];
}

/** An edited line as the editor sends it: its text and the base lines it came from. */
export interface EditedLine {
  text: string;
  src: number[];
}

/** What a reviewer sends: edited lines, or the whole text (whole-text mode). */
export type Edit = EditedLine[] | { text: string };

/** Lines below this OCR confidence are marked for a closer look. */
export const LOW_CONFIDENCE = 70;

export function unionBox(boxes: Array<Box | null | undefined>): Box | null {
  const present = boxes.filter((b): b is Box => !!b);
  if (present.length === 0) return null;
  return {
    x0: Math.min(...present.map((b) => b.x0)),
    y0: Math.min(...present.map((b) => b.y0)),
    x1: Math.max(...present.map((b) => b.x1)),
    y1: Math.max(...present.map((b) => b.y1)),
  };
}

export function parseLines(json: string): TranscriptLine[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.map((l: Record<string, unknown>) => ({
    text: typeof l.text === "string" ? l.text : "",
    bbox: isBox(l.bbox) ? l.bbox : null,
    confidence: typeof l.confidence === "number" ? l.confidence : null,
    unsure: Array.isArray(l.unsure) ? l.unsure.filter((n): n is number => Number.isInteger(n)) : [],
  }));
}

function isBox(b: unknown): b is Box {
  if (!b || typeof b !== "object") return false;
  const o = b as Record<string, unknown>;
  return ["x0", "y0", "x1", "y1"].every((k) => typeof o[k] === "number");
}

/** The lines of a whole-text edit; blank lines at the end are dropped. */
export function splitText(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines;
}

export function joinLines(lines: Array<{ text: string }>): string {
  return lines.map((l) => l.text).join("\n");
}

/**
 * Builds the stored lines of a new version from the edited lines: boxes follow the base lines each
 * one came from (joined lines get the union), OCR marks stay only on untouched single lines.
 */
export function deriveLines(base: TranscriptLine[], edited: EditedLine[]): TranscriptLine[] {
  return edited.map((e) => {
    const text = e.text.normalize("NFC");
    const sources = e.src.map((i) => base[i]).filter((l): l is TranscriptLine => !!l);
    const untouched = sources.length === 1 && sources[0]!.text.normalize("NFC") === text;
    return {
      text,
      bbox: unionBox(sources.map((s) => s.bbox)),
      confidence: untouched ? sources[0]!.confidence : null,
      unsure: untouched ? sources[0]!.unsure : [],
    };
  });
}

/**
 * A whole-text edit keeps each line's box when the line count did not change (the usual case:
 * words corrected inside lines); otherwise lines keep the box of a base line with the same text.
 */
export function editedLinesFromText(base: TranscriptLine[], text: string): EditedLine[] {
  const lines = splitText(text);
  if (lines.length === base.length) return lines.map((t, i) => ({ text: t, src: [i] }));
  return lines.map((t) => {
    const same = base.findIndex((b) => b.text === t);
    return { text: t, src: same >= 0 ? [same] : [] };
  });
}

/**
 * The edited lines as they will be stored: a line break typed or pasted into one line field starts
 * new lines, and blank lines at the end are dropped (a page of only blank lines is empty).
 */
export function tidyEditedLines(edited: EditedLine[]): EditedLine[] {
  const lines = edited.flatMap((e) =>
    /[\r\n]/.test(e.text)
      ? e.text.split(/\r\n?|\n/).map((text, k) => ({ text, src: k === 0 ? e.src : [] }))
      : [e],
  );
  while (lines.length > 0 && lines[lines.length - 1]!.text.trim() === "") lines.pop();
  return lines;
}
