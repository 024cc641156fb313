/**
 * The server killed with SIGKILL — no shutdown, no flush — (a) during a burst of uploads, (b)
 * while OCR runs, (c) during review saves, at several moments each, and started again on the same
 * files. After every restart: the database is intact (integrity, foreign keys), every request that
 * was answered with success is fully there (row, original, derived files), nothing is half-written
 * (no file no page names once the start-up sweep has run, no page without its files), and in the
 * end every page was read by OCR exactly once.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEditBase, getLatestVersion } from "~/models/transcriptions.server";
import { listStoredFiles } from "~/storage/images.server";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";
import { ON_POSTGRES } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

const uploadsDir = process.env.UPLOADS_DIR!;
let staff: Awaited<ReturnType<typeof makeStaff>>;
let groupId: number;
let server: RunningServer | null = null;

/** The server as operators run it after a crash: it removes what the crash left (no grace). */
async function start(ocr: boolean) {
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: {
      UPLOADS_DIR: uploadsDir,
      // The same secret across restarts, as in production: sessions survive a crash.
      SESSION_SECRET: "crash-test-secret-crash-test-secret-0123",
      OCR_RUNNER: ocr ? "on" : "off",
      OCR_WORKERS: "1",
      OCR_LEASE_MS: "2000",
      UPLOADS_SWEEP: "remove",
      UPLOADS_SWEEP_GRACE_MINUTES: "0",
    },
  });
  return server;
}

async function kill() {
  const s = server!;
  server = null;
  if (s.process.exitCode !== null) return;
  const exited = new Promise((r) => s.process.once("exit", r));
  s.process.kill("SIGKILL");
  await exited;
}

afterAll(async () => {
  if (server) await kill();
});

const sha256 = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

/** What must hold after any crash and restart. */
async function expectConsistent() {
  const db = getDb();
  // PostgreSQL checks its pages and enforces foreign keys itself, always; SQLite is asked.
  if (!ON_POSTGRES) {
    const integrity = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db);
    expect(integrity.rows).toEqual([{ integrity_check: "ok" }]);
    const fk = await sql`PRAGMA foreign_key_check`.execute(db);
    expect(fk.rows).toEqual([]);
  }

  const pages = await db.selectFrom("page").selectAll().execute();
  const named = new Set<string>();
  for (const p of pages) {
    // Every page has its files, complete: the original is the photo its hash names.
    const original = fs.readFileSync(path.join(uploadsDir, p.original_path));
    expect(sha256(original), `original of page ${p.id}`).toBe(p.image_sha256);
    for (const derived of [p.viewing_path, p.thumb_path, p.crop_path]) {
      if (!derived) continue;
      const meta = await sharp(path.join(uploadsDir, derived)).metadata();
      expect(meta.format, derived).toBe("jpeg");
      // A whole JPEG decodes to its end; a half-written one does not.
      await sharp(path.join(uploadsDir, derived), { failOn: "truncated" }).raw().toBuffer();
    }
    for (const f of [p.original_path, p.viewing_path, p.thumb_path, p.crop_path])
      if (f) named.add(f);
  }
  // And no file is left that no page names: the start-up sweep removed what the crash left.
  const files = await listStoredFiles();
  expect(files.map((f) => f.path).filter((f) => !named.has(f))).toEqual([]);
  return pages;
}

beforeAll(async () => {
  staff = await makeStaff();
  ({ groupId } = await makeActiveGroup());
});

describe("SIGKILL during a burst of uploads", () => {
  it("keeps every answered upload whole and leaves no orphan", { timeout: 240_000 }, async () => {
    const base = await sharp(fixture("ocr", "horizontal.jpg")).resize(1400).jpeg().toBuffer();
    const photos = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        sharp(base)
          .modulate({ brightness: 0.9 + i * 0.007 })
          .jpeg({ quality: 90 })
          .toBuffer(),
      ),
    );
    const answered = new Map<string, number>(); // sha256 → page id
    const queue = { next: 0, groupId };
    // Kill points from "barely started" to "most of the burst done".
    for (const delay of [150, 600, 1200]) {
      const s = await start(false);
      const client = new Client(s.url);
      await client.loginStaff(staff.login, staff.password);
      // Three uploads at a time, as the station sends them, until the server dies.
      const lane = async () => {
        while (queue.next < photos.length) {
          const photo = photos[queue.next++]!;
          const response = await client
            .upload(`/scan/${queue.groupId}/upload`, [{ name: `p${queue.next}.jpg`, bytes: photo }])
            .catch(() => null);
          if (!response) return; // the connection died with the server: no answer, no promise
          if (response.status === 201 || response.status === 200) {
            const outcome = (await response.json()) as { pageId: number };
            answered.set(sha256(photo), outcome.pageId);
          }
        }
      };
      const lanes = Promise.all([lane(), lane(), lane()]);
      await new Promise((r) => setTimeout(r, delay));
      await kill();
      await lanes;

      // A file written by an upload whose row never committed, as a crash leaves it.
      const planted = path.join(uploadsDir, "originals", `${"0".repeat(63)}${delay % 10}.jpg`);
      fs.mkdirSync(path.dirname(planted), { recursive: true });
      fs.writeFileSync(planted, photos[0]!);
      fs.mkdirSync(path.join(uploadsDir, "derived"), { recursive: true });
      fs.writeFileSync(path.join(uploadsDir, "derived", `half-${delay}.jpg.1-ab.partial`), "x");

      await start(false);
      expect(fs.existsSync(planted)).toBe(false);
      const pages = await expectConsistent();
      for (const [hash, pageId] of answered) {
        const page = pages.find((p) => p.id === pageId);
        expect(page?.image_sha256, `answered upload ${pageId}`).toBe(hash);
      }
      await kill();
    }
    expect(answered.size).toBeGreaterThan(0);
  });
});

describe("SIGKILL while OCR runs", () => {
  it("reads every queued page exactly once in the end", { timeout: 240_000 }, async () => {
    const db = getDb();
    const queued = () =>
      db.selectFrom("page").select(["id", "status"]).where("group_id", "=", groupId).execute();
    expect((await queued()).length).toBeGreaterThan(0);
    let interrupted = 0; // jobs the kills caught in the middle
    for (const delay of [2000, 4000]) {
      await start(true);
      await new Promise((r) => setTimeout(r, delay));
      await kill();
      const running = await db
        .selectFrom("ocr_job")
        .select("id")
        .where("state", "=", "running")
        .execute();
      interrupted += running.length;
      // Started again without OCR, so that nothing writes while the files are compared.
      await start(false);
      await expectConsistent();
      await kill();
    }
    await start(true);
    const end = Date.now() + 180_000;
    while ((await queued()).some((p) => p.status !== "needs_review")) {
      if (Date.now() > end) throw new Error("OCR did not finish after the crashes");
      await new Promise((r) => setTimeout(r, 500));
    }
    await kill();
    const pages = await expectConsistent();
    for (const page of pages) {
      const drafts = await db
        .selectFrom("transcription")
        .select(["version", "source"])
        .where("page_id", "=", page.id)
        .execute();
      expect(drafts, `page ${page.id}`).toEqual([{ version: 1, source: "ocr" }]);
      const done = await db
        .selectFrom("ocr_job")
        .select("id")
        .where("page_id", "=", page.id)
        .where("state", "=", "done")
        .execute();
      expect(done.length, `page ${page.id}`).toBe(1);
      expect(page.crop_path, `page ${page.id}`).not.toBeNull();
    }
    expect(interrupted).toBeGreaterThan(0);
  });
});

describe("SIGKILL during review saves", () => {
  it("keeps every answered save as its own version", { timeout: 120_000 }, async () => {
    const db = getDb();
    const pageIds = (
      await db
        .selectFrom("page")
        .select("id")
        .where("group_id", "=", groupId)
        .orderBy("id")
        .limit(2)
        .execute()
    ).map((p) => p.id);
    const saved = new Map<string, number>(); // text → page id
    const counter = { n: 0 };
    for (const delay of [100, 600]) {
      const s = await start(false);
      const client = new Client(s.url);
      await client.loginStaff(staff.login, staff.password);
      let alive = true;
      // One reviewer per page, saving as fast as the server answers.
      const reviewer = async (pageId: number) => {
        while (alive) {
          const base = await getEditBase(pageId, (await getLatestVersion(pageId))!.version);
          const text = `保存 ${++counter.n} 回目\nクラッシュ試験 ${pageId}`;
          const response = await client
            .post(`/review/pages/${pageId}`, [
              ["intent", "save"],
              ["pageId", String(pageId)],
              ["baseVersion", String(base.version)],
              ["baseHash", base.hash],
              ["mode", "text"],
              ["text", text],
            ])
            .catch(() => null);
          if (!response) return;
          if (response.status === 200) saved.set(text, pageId);
          else expect(response.status, await response.text()).toBe(200);
        }
      };
      const reviewers = Promise.all(pageIds.map(reviewer));
      // Kill points counted from the first answered save of the round (a busy machine is slow).
      const before = saved.size;
      const end = Date.now() + 30_000;
      while (saved.size === before && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, delay));
      alive = false;
      await kill();
      await reviewers;

      await start(false);
      await expectConsistent();
      for (const pageId of pageIds) {
        const versions = await db
          .selectFrom("transcription")
          .select(["version", "text"])
          .where("page_id", "=", pageId)
          .orderBy("version")
          .execute();
        // Numbered without gaps, each answered save present exactly once.
        expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
        for (const [text, id] of saved)
          if (id === pageId) expect(versions.filter((v) => v.text === text)).toHaveLength(1);
      }
      await kill();
    }
    expect(saved.size).toBeGreaterThan(0);
  });
});
