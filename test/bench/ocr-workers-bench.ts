/**
 * npm run bench:ocr-workers [-- --pages 24 --workers 1,2,3]
 *
 * OCR throughput with several `npm run worker` processes sharing one PostgreSQL queue (issue 16).
 * For each worker count: a fresh database on a throw-away cluster, the same pages added (the test
 * fixtures' photos, each made distinct by a small brightness change), then that many worker
 * processes (one tesseract.js worker each) started at once; the time until every page has its
 * draft, pages per minute, and a check that each page was read exactly once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { migrateToLatest } from "../../db/migrator";
import { ROOT } from "../helpers/paths";
import { createDatabase, startCluster } from "../helpers/postgres";

const args = process.argv.slice(2);
const value = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const PAGES = Number(value("--pages") ?? 24);
const COUNTS = (value("--workers") ?? "1,2,3").split(",").map(Number);

const cluster = await startCluster();
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "ocr-workers-"));
process.env.UPLOADS_DIR = uploads;
const fixtures = ["horizontal.jpg", "vertical.jpg"].map((f) =>
  fs.readFileSync(path.join(ROOT, "test", "fixtures", "ocr", f)),
);
const photos = await Promise.all(
  Array.from({ length: PAGES }, (_, i) =>
    sharp(fixtures[i % fixtures.length])
      .modulate({ brightness: 0.85 + i * 0.005 })
      .jpeg({ quality: 90 })
      .toBuffer(),
  ),
);

const rows: string[] = [];
try {
  for (const count of COUNTS) {
    const name = `ocr_${count}`;
    process.env.DATABASE_URL = await createDatabase(cluster, name);
    const { closeDb, getDb } = await import("../../app/utils/db.server");
    await closeDb();
    const db = getDb();
    await migrateToLatest(db);
    const { makeActiveGroup, makeStaff } = await import("../helpers/factories");
    const { addPage } = await import("../../app/models/pages.server");
    const staff = await makeStaff();
    const { groupId } = await makeActiveGroup();
    for (const photo of photos) await addPage(groupId, photo, { actor: staff.actor });

    const t0 = performance.now();
    const workers: ChildProcess[] = Array.from({ length: count }, () =>
      spawn(process.execPath, ["--import", "tsx", "app/worker.ts"], {
        cwd: ROOT,
        env: { ...process.env, OCR_WORKERS: "1" },
        stdio: "ignore",
      }),
    );
    for (;;) {
      const left = await db
        .selectFrom("page")
        .select("id")
        .where("status", "!=", "needs_review")
        .execute();
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const w of workers) w.kill("SIGTERM");
    const drafts = await db
      .selectFrom("transcription")
      .select(({ fn }) => fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const retried = await db.selectFrom("ocr_job").select("id").where("attempts", ">", 1).execute();
    rows.push(
      `${String(count).padStart(7)}  ${seconds.toFixed(1).padStart(7)} s  ${((60 * PAGES) / seconds).toFixed(1).padStart(8)}  ${String(drafts.n).padStart(6)}  ${String(retried.length).padStart(7)}`,
    );
    console.log(rows.at(-1));
    await closeDb();
  }
} finally {
  cluster.stop();
  fs.rmSync(uploads, { recursive: true, force: true });
}
console.log(
  `\n${PAGES} pages on one PostgreSQL, ${os.cpus().length} cores\nworkers     wall   pages/min  drafts  retried\n${rows.join("\n")}`,
);
