/**
 * `npm run db:backup` / `db:restore` (issue 15): a backup taken while pages are uploaded and rows
 * written restores into a fresh folder with the same rows, a clean integrity and foreign-key
 * check, and every image byte for byte; a partial or damaged backup is refused.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { backup, restore, verifyBackup } from "../../db/backup";
import { addPage } from "~/models/pages.server";
import { makeActiveGroup, makeParticipant, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";
import { ON_POSTGRES, TMP_DIR } from "../helpers/paths";

const databasePath = process.env.DATABASE_PATH!;
const uploadsDir = process.env.UPLOADS_DIR!;
const sha = (file: string) =>
  crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const fresh = (name: string) => path.join(TMP_DIR, `${name}-${crypto.randomUUID()}`);

let staff: Awaited<ReturnType<typeof makeStaff>>;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let photo: Buffer;

beforeAll(async () => {
  staff = await makeStaff();
  group = await makeActiveGroup();
  photo = await sharp(fixture("ocr", "horizontal.jpg")).resize(1200).jpeg().toBuffer();
});

/** Uploads and registrations, one after another, until told to stop. */
function burst() {
  let stop = false;
  let writes = 0;
  const done = (async () => {
    for (let i = 0; !stop && i < 200; i++) {
      const bytes = await sharp(photo)
        .modulate({ brightness: 1 + (i + 1) * 0.004 + Math.random() * 0.002 })
        .jpeg()
        .toBuffer();
      await addPage(group.groupId, bytes, { actor: staff.actor });
      await makeParticipant(group.cohortId);
      writes++;
    }
  })();
  return {
    async end() {
      stop = true;
      await done;
      return writes;
    },
    get writes() {
      return writes;
    },
  };
}

// SQLite only: on PostgreSQL backups are pg_dump's job (README, "Scaling out").
describe.skipIf(ON_POSTGRES)("a backup taken during writes", () => {
  it("restores into a fresh folder with the same rows and every image", async () => {
    const writing = burst();
    while (writing.writes < 3) await new Promise((r) => setTimeout(r, 20));
    const out = fresh("backup");
    const manifest = await backup({ databasePath, uploadsDir, out });
    // Writes go on after the copy: the backup is the moment it was taken.
    const atCopy = writing.writes;
    while (writing.writes < atCopy + 2) await new Promise((r) => setTimeout(r, 20));
    await writing.end();
    const pagesInBackup = manifest.database.tables.page!;
    expect(pagesInBackup).toBeGreaterThanOrEqual(3);
    const live = new SQLite(databasePath, { readonly: true });
    expect(live.prepare(`select count(*) from page`).pluck().get()).toBeGreaterThan(pagesInBackup);
    live.close();
    // An original, a viewing image and a thumbnail per page (crops come with OCR).
    expect(manifest.files.length).toBe(3 * pagesInBackup);

    const target = fresh("restored");
    const restoredDb = path.join(target, "app.db");
    const restoredUploads = path.join(target, "uploads");
    restore({ dir: out, databasePath: restoredDb, uploadsDir: restoredUploads });

    const db = new SQLite(restoredDb, { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      for (const [table, n] of Object.entries(manifest.database.tables))
        expect(db.prepare(`select count(*) from "${table}"`).pluck().get(), table).toBe(n);
      const pages = db
        .prepare(`select original_path, viewing_path, thumb_path, crop_path from page`)
        .all() as Array<Record<string, string | null>>;
      const named = pages.flatMap((p) => Object.values(p).filter((v): v is string => !!v));
      expect(named.length).toBe(manifest.files.length);
      // Every image of every row, byte for byte the file the app wrote.
      for (const file of named)
        expect(sha(path.join(restoredUploads, file)), file).toBe(sha(path.join(uploadsDir, file)));
    } finally {
      db.close();
    }
  });
});

describe.skipIf(ON_POSTGRES)("restoring", () => {
  it("refuses a backup without its manifest, with a damaged file, or over a database", async () => {
    const out = fresh("backup");
    const manifest = await backup({ databasePath, uploadsDir, out });
    expect(verifyBackup(out).problems).toEqual([]);

    const target = fresh("restored");
    const into = { databasePath: path.join(target, "app.db"), uploadsDir: path.join(target, "up") };

    // One image changed by a byte.
    const image = path.join(out, "uploads", manifest.files[0]!.path);
    const original = fs.readFileSync(image);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 10] = damaged[damaged.length - 10]! ^ 0xff;
    fs.writeFileSync(image, damaged);
    expect(() => restore({ dir: out, ...into })).toThrow(/checksum differs/);
    fs.writeFileSync(image, original);

    // No manifest: the backup did not finish.
    fs.renameSync(path.join(out, "manifest.json"), path.join(out, "manifest.json.away"));
    expect(() => restore({ dir: out, ...into })).toThrow(/途中で止まったバックアップ/);
    fs.renameSync(path.join(out, "manifest.json.away"), path.join(out, "manifest.json"));
    // Nothing was written by the refusals.
    expect(fs.existsSync(into.databasePath)).toBe(false);
    expect(fs.existsSync(into.uploadsDir)).toBe(false);

    restore({ dir: out, ...into });
    // A second restore would overwrite what is there now: refused.
    expect(() => restore({ dir: out, ...into })).toThrow(/復元先にデータベースがあります/);
  });

  it("does not back up into a folder that holds something", async () => {
    const out = fresh("backup");
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "note.txt"), "x");
    await expect(backup({ databasePath, uploadsDir, out })).rejects.toThrow(/空ではありません/);
  });
});
