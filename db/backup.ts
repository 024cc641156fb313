/**
 * Backups that restore (issue 15).
 *
 *   npm run db:backup -- <dir>    a consistent copy while the app runs: the database through
 *                                 SQLite's online backup API (never a file copy of a live
 *                                 database), then every image its rows name, then manifest.json
 *                                 (row counts, sizes, SHA-256 of everything), written last.
 *   npm run db:restore -- <dir>   checks the manifest against every file and refuses a partial or
 *                                 damaged backup; restores into DATABASE_PATH and UPLOADS_DIR,
 *                                 which must not hold a database yet; then checks the result
 *                                 (integrity, foreign keys, row counts).
 *
 * Images are kept as the rows name them: a file no row names (left by a crash) is not copied.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";

export const MANIFEST = "manifest.json";
const DB_FILE = "app.db";

export interface Manifest {
  version: 1;
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; tables: Record<string, number> };
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

/** The columns that name a file under UPLOADS_DIR. */
const FILE_COLUMNS = ["original_path", "viewing_path", "thumb_path", "crop_path"] as const;

export class BackupError extends Error {}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Writes a file under a temporary name, flushes it to disk and renames it into place. */
function writeAtomically(file: string, data: Buffer | string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, "w");
  try {
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

function inside(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  if (!full.startsWith(path.resolve(root) + path.sep))
    throw new BackupError(`not inside ${root}: ${relative}`);
  return full;
}

function tableCounts(db: SQLite.Database): Record<string, number> {
  const tables = db
    .prepare(
      `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`,
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [t, Number(db.prepare(`select count(*) from "${t}"`).pluck().get())]),
  );
}

function namedFiles(db: SQLite.Database): string[] {
  const rows = db.prepare(`select ${FILE_COLUMNS.join(", ")} from page`).all() as Array<
    Record<string, string | null>
  >;
  return [
    ...new Set(rows.flatMap((r) => FILE_COLUMNS.map((c) => r[c]).filter(Boolean))),
  ].sort() as string[];
}

function checkDatabase(db: SQLite.Database) {
  const integrity = db.pragma("integrity_check", { simple: true });
  if (integrity !== "ok") throw new BackupError(`integrity_check: ${String(integrity)}`);
  const dangling = db.pragma("foreign_key_check") as unknown[];
  if (dangling.length > 0) throw new BackupError(`foreign_key_check: ${dangling.length} rows`);
}

export async function backup(o: {
  databasePath: string;
  uploadsDir: string;
  out: string;
}): Promise<Manifest> {
  if (fs.existsSync(o.out) && fs.readdirSync(o.out).length > 0)
    throw new BackupError(`バックアップ先が空ではありません (not empty): ${o.out}`);
  fs.mkdirSync(o.out, { recursive: true });
  const copy = path.join(o.out, DB_FILE);
  const source = new SQLite(o.databasePath, { readonly: true, fileMustExist: true });
  try {
    await source.backup(`${copy}.partial`);
  } finally {
    source.close();
  }
  fs.renameSync(`${copy}.partial`, copy);

  const db = new SQLite(copy, { readonly: true });
  let tables: Record<string, number>;
  let names: string[];
  try {
    checkDatabase(db);
    tables = tableCounts(db);
    names = namedFiles(db);
  } finally {
    db.close();
  }
  const files: Manifest["files"] = [];
  for (const name of names) {
    const from = inside(o.uploadsDir, name);
    // Files are removed only after the transaction that forgets them; a row in the copy names a
    // file that was there when the copy was taken.
    if (!fs.existsSync(from))
      throw new BackupError(`画像ファイルがありません (missing image): ${name}`);
    const bytes = fs.readFileSync(from);
    writeAtomically(inside(path.join(o.out, "uploads"), name), bytes);
    files.push({
      path: name,
      bytes: bytes.length,
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
    });
  }
  const manifest: Manifest = {
    version: 1,
    createdAt: new Date().toISOString(),
    database: { file: DB_FILE, bytes: fs.statSync(copy).size, sha256: sha256(copy), tables },
    files,
  };
  // Last: a folder without a manifest is a backup that did not finish.
  writeAtomically(path.join(o.out, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Checks a backup folder against its manifest; lists every problem found. */
export function verifyBackup(dir: string): { manifest: Manifest | null; problems: string[] } {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file))
    return {
      manifest: null,
      problems: ["manifest.json がありません（途中で止まったバックアップです）"],
    };
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  const problems: string[] = [];
  const check = (relative: string, bytes: number, hash: string) => {
    const full = path.join(dir, relative);
    if (!fs.existsSync(full)) problems.push(`ありません (missing): ${relative}`);
    else if (fs.statSync(full).size !== bytes || sha256(full) !== hash)
      problems.push(`内容が違います (checksum differs): ${relative}`);
  };
  check(manifest.database.file, manifest.database.bytes, manifest.database.sha256);
  for (const f of manifest.files) check(path.join("uploads", f.path), f.bytes, f.sha256);
  return { manifest, problems };
}

export function restore(o: { dir: string; databasePath: string; uploadsDir: string }): Manifest {
  const { manifest, problems } = verifyBackup(o.dir);
  if (!manifest || problems.length > 0)
    throw new BackupError(`このバックアップは使えません (refused):\n${problems.join("\n")}`);
  if (fs.existsSync(o.databasePath))
    throw new BackupError(
      `復元先にデータベースがあります。別の場所へ移してから復元してください (exists): ${o.databasePath}`,
    );
  for (const f of manifest.files)
    writeAtomically(
      inside(o.uploadsDir, f.path),
      fs.readFileSync(path.join(o.dir, "uploads", f.path)),
    );
  writeAtomically(o.databasePath, fs.readFileSync(path.join(o.dir, manifest.database.file)));
  const db = new SQLite(o.databasePath, { readonly: true });
  try {
    checkDatabase(db);
    const counts = tableCounts(db);
    for (const [table, n] of Object.entries(manifest.database.tables))
      if (counts[table] !== n)
        throw new BackupError(`${table}: ${counts[table]} rows, expected ${n}`);
  } finally {
    db.close();
  }
  return manifest;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, dir] = process.argv.slice(2);
  const databasePath = path.resolve(process.env.DATABASE_PATH ?? "db/app.db");
  const uploadsDir = path.resolve(process.env.UPLOADS_DIR ?? "uploads");
  try {
    if (!dir) throw new BackupError(`usage: npm run db:${command ?? "backup"} -- <dir>`);
    if (command === "backup") {
      const m = await backup({ databasePath, uploadsDir, out: path.resolve(dir) });
      console.log(
        `バックアップしました: ${dir} (${Object.values(m.database.tables).reduce((a, b) => a + b, 0)} rows, ${m.files.length} images)`,
      );
    } else if (command === "restore") {
      const m = restore({ dir: path.resolve(dir), databasePath, uploadsDir });
      console.log(`復元しました: ${databasePath} (${m.files.length} images in ${uploadsDir})`);
    } else throw new BackupError(`unknown command: ${command}`);
  } catch (error) {
    console.error(error instanceof BackupError ? error.message : error);
    process.exit(1);
  }
}
