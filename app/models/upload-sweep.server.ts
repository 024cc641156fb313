/**
 * The start-up check of the private image store against the database. Image files are written
 * before the transaction that records them and removed only after the one that forgets them has
 * committed, so a crash can leave a file no page names (an orphan — an original may still carry
 * the phone's GPS position) but never a page without its file. This finds both: orphans are
 * reported and, when asked, removed; a page whose file is missing is reported loudly, since
 * nothing here can bring it back (a backup can: npm run db:restore).
 *
 * A file younger than the grace period is left alone: it may belong to an upload or an OCR job
 * still running in another process (a worker, a second app server on a shared folder).
 */
import fs from "node:fs/promises";
import {
  TEMP_SUFFIX,
  listStoredFiles,
  removeFiles,
  resolveUpload,
  type StoredFile,
} from "~/storage/images.server";
import { getDb } from "~/utils/db.server";

export interface SweepReport {
  /** Files no page names (and unfinished temporary files), older than the grace period. */
  orphans: StoredFile[];
  /** Orphans that were removed (all of them when `remove` was asked for). */
  removed: string[];
  /** Files no page names yet that are too young to judge. */
  recent: number;
  /** Files pages name that are not there. */
  missing: Array<{ pageId: number; path: string }>;
}

export const DEFAULT_GRACE_MS = 60 * 60 * 1000;

const FILE_COLUMNS = ["original_path", "viewing_path", "thumb_path", "crop_path"] as const;

/** Every file a page names, with the page. */
async function namedFiles(): Promise<Map<string, number>> {
  const rows = await getDb()
    .selectFrom("page")
    .select(["id", ...FILE_COLUMNS])
    .execute();
  const named = new Map<string, number>();
  for (const row of rows)
    for (const column of FILE_COLUMNS) {
      const value = row[column];
      if (value) named.set(value, row.id);
    }
  return named;
}

export async function sweepUploads(
  options: { remove?: boolean; graceMs?: number; now?: number } = {},
): Promise<SweepReport> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const now = options.now ?? Date.now();
  // The folder first, then the database: a file recorded in between is then still seen as named.
  const files = await listStoredFiles();
  const named = await namedFiles();

  const orphans: StoredFile[] = [];
  let recent = 0;
  for (const file of files) {
    if (named.has(file.path) && !file.path.endsWith(TEMP_SUFFIX)) continue;
    if (now - file.modifiedMs < graceMs) recent++;
    else orphans.push(file);
  }

  const present = new Set(files.map((f) => f.path));
  const missing: SweepReport["missing"] = [];
  for (const [relative, pageId] of named) {
    if (present.has(relative)) continue;
    // Listed folders only; a path elsewhere (older layouts) is checked on its own.
    const exists = await fs
      .stat(resolveUpload(relative))
      .then((s) => s.isFile())
      .catch(() => false);
    if (!exists) missing.push({ pageId, path: relative });
  }

  let removed: string[] = [];
  if (options.remove && orphans.length) {
    // Read the names again just before removing: a page may have been added meanwhile.
    const stillNamed = await namedFiles();
    removed = orphans
      .map((o) => o.path)
      .filter((p) => !stillNamed.has(p) || p.endsWith(TEMP_SUFFIX));
    await removeFiles(...removed);
  }
  return { orphans, removed, recent, missing: missing.sort((a, b) => a.pageId - b.pageId) };
}

/** The report as the lines the server and the command print. */
export function describeSweep(report: SweepReport, removeHint: string): string[] {
  const lines: string[] = [];
  if (report.orphans.length) {
    const mb = report.orphans.reduce((n, f) => n + f.bytes, 0) / 1024 / 1024;
    lines.push(
      report.removed.length
        ? `Uploads: removed ${report.removed.length} file(s) no page uses (${mb.toFixed(1)} MB).`
        : `Uploads: ${report.orphans.length} file(s) no page uses (${mb.toFixed(1)} MB), e.g. left by a crash; ${removeHint}`,
    );
  }
  for (const m of report.missing)
    lines.push(`Uploads: MISSING ${m.path} (page ${m.pageId}) — restore it from a backup.`);
  return lines;
}
