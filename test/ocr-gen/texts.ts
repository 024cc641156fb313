/**
 * Where the written texts come from: our own diary entries in test/fixtures/seeds/ (the "tune"
 * and the "holdout" set). Never the texts of the measurement sets (../shared/ocr-dev*): we measure
 * on those and must not tune on them.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type TextSet = "tune" | "holdout";

export interface Entry {
  id: string;
  lines: string[];
  [key: string]: unknown;
}

export interface EntryFile {
  description?: string;
  categories?: unknown;
  entries: Entry[];
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export function entryFilePath(set: TextSet): string {
  return path.join(REPO_ROOT, "test", "fixtures", "seeds", `${set}.json`);
}

export function loadEntries(set: TextSet): EntryFile {
  const file = JSON.parse(fs.readFileSync(entryFilePath(set), "utf8")) as EntryFile;
  for (const e of file.entries) {
    if (!e.id || !Array.isArray(e.lines) || e.lines.length === 0) {
      throw new Error(`${set}.json: entry ${JSON.stringify(e.id)} has no lines`);
    }
  }
  return file;
}

/** The ground truth of a page: the entry's lines in reading order. */
export function groundTruth(entry: Entry): string {
  return entry.lines.join("\n");
}
