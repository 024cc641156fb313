/**
 * npm run bench:review [-- --pages 20000 --requests 200 --keep]
 *
 * Fills a fresh SQLite file with a realistic spread of pages (default 20 000: most approved, a
 * few thousand waiting, some with 見守り flags, each with OCR and staff versions of ~300
 * characters and per-line boxes), starts the real server on it and prints the median and p95
 * answer times of the review queue and of the page editor's loader — Remix single-fetch data
 * requests (`/review.data`), which run the loaders of the page (root + route) and encode their
 * data, as a client-side navigation does — plus the full HTML pages for comparison.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { migrateToLatest } from "../../db/migrator";
import { hashSecret } from "../../app/utils/password.server";
import { openDatabase } from "../../app/utils/db.server";
import { TMP_DIR } from "../helpers/paths";
import { Client, startServer } from "../helpers/server";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) || fallback : fallback;
};
const PAGES = opt("pages", 20_000);
const REQUESTS = opt("requests", 200);
const PAGES_PER_GROUP = 100;

const SAMPLE =
  "きょうは朝から雨でした。学校には行けなかったけれど、午後に少し散歩をしました。公園の桜のつぼみがふくらんでいて、春が近いと思いました。ノートを読むのが楽しみです。";

function lines(seed: number) {
  const out = [];
  for (let i = 0; i < 10; i++) {
    const start = (seed + i * 7) % (SAMPLE.length - 30);
    out.push({
      text: SAMPLE.slice(start, start + 30),
      bbox: { x0: 100, y0: 120 + i * 150, x1: 1400, y1: 200 + i * 150 },
      confidence: 60 + ((seed + i) % 40),
      unsure: i % 3 === 0 ? [2, 5] : [],
    });
  }
  return out;
}

async function fill(file: string) {
  const db = openDatabase(file);
  await migrateToLatest(db);
  const t0 = Date.now();
  const password = "bench-password-long";
  const { id: staffId } = await db
    .insertInto("staff_user")
    .values({
      login: "bench",
      display_name: "ベンチ 職員",
      password_hash: await hashSecret(password),
      role: "admin",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { id: roomId } = await db
    .insertInto("health_room")
    .values({ name: "ベンチ保健室", area: "中央", address: "架空市1-1" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { id: cohortId } = await db
    .insertInto("cohort")
    .values({ name: "2026年度", starts_on: "2026-04-01", ends_on: "2027-03-31" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const groups = Math.ceil(PAGES / PAGES_PER_GROUP);
  let pageNo = 0;
  await db.transaction().execute(async (trx) => {
    for (let g = 0; g < groups; g++) {
      const { id: groupId } = await trx
        .insertInto("diary_group")
        .values({
          cohort_id: cohortId,
          name: `グループ${g + 1}`,
          health_room_id: roomId,
          status: "active",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const { id: notebookId } = await trx
        .insertInto("notebook")
        .values({ group_id: groupId, label: `ノート${g + 1}` })
        .returning("id")
        .executeTakeFirstOrThrow();
      const members: number[] = [];
      for (let m = 0; m < 3; m++) {
        const { id } = await trx
          .insertInto("participant")
          .values({
            cohort_id: cohortId,
            real_name: `架空 ${g}-${m}`,
            pen_name: `ペン${g}-${m}`,
            age_band: "30s",
            referral_type: "none",
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        members.push(id);
        await trx
          .insertInto("group_member")
          .values({
            group_id: groupId,
            participant_id: id,
            position: m + 1,
            joined_on: "2026-04-01",
          })
          .execute();
      }
      for (let p = 0; p < PAGES_PER_GROUP && pageNo < PAGES; p++, pageNo++) {
        // 15 % waiting for review, the rest approved; 1 in 40 waiting pages has an open flag.
        const waiting = pageNo % 100 < 15;
        const created = new Date(Date.UTC(2026, 3, 1) + pageNo * 60_000).toISOString();
        const { id: pageId } = await trx
          .insertInto("page")
          .values({
            group_id: groupId,
            notebook_id: notebookId,
            page_number: p + 1,
            author_participant_id: members[p % 3]!,
            entry_date: created.slice(0, 10),
            layout: "horizontal",
            status: waiting ? "needs_review" : "approved",
            image_sha256: crypto.createHash("sha256").update(String(pageNo)).digest("hex"),
            original_path: `originals/bench-${pageNo}`,
            viewing_path: `derived/bench-${pageNo}.jpg`,
            thumb_path: `derived/bench-${pageNo}-t.jpg`,
            width: 1500,
            height: 2000,
            uploaded_by_staff_id: staffId,
            created_at: created,
            approved_version: waiting ? null : 2,
            approved_by_staff_id: waiting ? null : staffId,
            approved_at: waiting ? null : created,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const l = lines(pageNo);
        await trx
          .insertInto("transcription")
          .values({
            page_id: pageId,
            version: 1,
            source: "ocr",
            text: l.map((x) => x.text).join("\n"),
            lines_json: JSON.stringify(l),
            confidence: 80,
            layout: "horizontal",
            created_at: created,
          })
          .execute();
        if (!waiting || pageNo % 2 === 0)
          await trx
            .insertInto("transcription")
            .values({
              page_id: pageId,
              version: 2,
              source: "staff",
              text: l.map((x) => x.text).join("\n") + "。",
              lines_json: JSON.stringify(l),
              created_by_staff_id: staffId,
              created_at: created,
            })
            .execute();
        if (waiting && pageNo % 40 === 0)
          await trx
            .insertInto("watch_flag")
            .values({
              page_id: pageId,
              source: "manual",
              reason: "ベンチ",
              raised_by_staff_id: staffId,
              created_at: created,
            })
            .execute();
      }
    }
  });
  await sql`analyze`.execute(db);
  const counts = await db
    .selectFrom("page")
    .select(["status", sql<number>`count(*)`.as("n")])
    .groupBy("status")
    .execute();
  const waitingIds = (
    await db.selectFrom("page").select("id").where("status", "=", "needs_review").execute()
  ).map((r) => r.id);
  await db.destroy();
  console.log(
    `filled ${PAGES} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.status} ${c.n}`).join(", ")}`,
  );
  return { password, waitingIds };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

async function measure(
  label: string,
  client: Client,
  paths: () => string,
  expect: { type: string; contains: string },
) {
  const check = async (response: Response) => {
    const body = await response.text();
    // A wrong URL can answer 200 with an empty body: check that the data really came.
    if (
      response.status !== 200 ||
      !response.headers.get("content-type")?.startsWith(expect.type) ||
      !body.includes(expect.contains)
    )
      throw new Error(`${label}: HTTP ${response.status}, ${body.length} bytes`);
  };
  // Warm up (first requests compile statements and fill caches).
  for (let i = 0; i < 10; i++) await check(await client.get(paths()));
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const response = await client.get(paths());
    const body = response.clone();
    await response.arrayBuffer();
    times.push(performance.now() - t);
    await check(body);
  }
  console.log(
    `${label.padEnd(44)} median ${quantile(times, 0.5).toFixed(1).padStart(6)} ms   p95 ${quantile(times, 0.95).toFixed(1).padStart(6)} ms`,
  );
}

fs.mkdirSync(TMP_DIR, { recursive: true });
const file = path.join(TMP_DIR, `bench-review-${Date.now()}.db`);
const { password, waitingIds } = await fill(file);
const server = await startServer({
  databasePath: file,
  env: {
    NODE_ENV: "production",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    UPLOADS_DIR: path.join(TMP_DIR, "bench-uploads"),
  },
});
try {
  const client = new Client(server.url);
  await client.loginStaff("bench", password);
  let k = 0;
  const randomWaiting = () => waitingIds[(k = (k * 7919 + 13) % waitingIds.length)]!;
  console.log(`${REQUESTS} sequential requests each, after 10 warm-up requests:`);
  const data = { type: "text/x-script", contains: "" };
  const html = { type: "text/html", contains: "</html>" };
  await measure("queue loader   /review.data", client, () => "/review.data", {
    ...data,
    contains: "routes/review._index",
  });
  await measure(
    "queue loader, filtered by group",
    client,
    () => `/review.data?group=${1 + (k++ % 50)}`,
    { ...data, contains: "routes/review._index" },
  );
  await measure(
    "editor loader  /review/pages/:id.data",
    client,
    () => `/review/pages/${randomWaiting()}.data`,
    { ...data, contains: "routes/review.pages.$pageId" },
  );
  await measure("queue page (HTML)", client, () => "/review", html);
  await measure("editor page (HTML)", client, () => `/review/pages/${randomWaiting()}`, html);
} finally {
  await server.stop();
  if (args.includes("--keep")) console.log(`database kept: ${file}`);
  else for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}
