/**
 * The path a draft took through the OCR pipeline, as staff are shown it: which checks changed a
 * step on this page and whether a second, plain pass was kept. Browser-safe (no server imports):
 * the review page shows these next to the OCR version.
 */
import type { PrepareNote } from "./preprocess.server";

/** A note of the kept pass, or `second-pass` when the kept reading came from the second pass. */
export type OcrNote = PrepareNote | "second-pass";

const NOTES: readonly OcrNote[] = [
  "plain",
  "second-pass",
  "paper-kept-whole",
  "red-channel",
  "faint-ink",
  "wide-pen",
];

/** The notes of the kept pass from a job's stored `path_json`; [] when absent or unreadable. */
export function notesOfPath(pathJson: string | null | undefined): OcrNote[] {
  if (!pathJson) return [];
  try {
    const path = JSON.parse(pathJson) as {
      chosen?: unknown;
      passes?: Array<{ notes?: unknown }>;
    };
    const chosen = typeof path.chosen === "number" ? path.chosen : 0;
    const raw = path.passes?.[chosen]?.notes;
    const notes = new Set<OcrNote>(
      Array.isArray(raw) ? raw.filter((n): n is OcrNote => NOTES.includes(n as OcrNote)) : [],
    );
    if (chosen > 0) notes.add("second-pass");
    // In the fixed order of NOTES, the most telling first.
    return NOTES.filter((n) => notes.has(n));
  } catch {
    return [];
  }
}
