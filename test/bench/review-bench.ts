/**
 * npm run bench:review [-- --pages 20000 --requests 200 --seeds 20000 --seed-requests 50
 *                         --only review|seeds --dir DIR --keep --postgres]
 *
 * Fills a fresh SQLite file with a realistic spread of pages (default 20 000 in groups of five
 * health rooms: most approved, a few thousand waiting, some with 見守り flags, each with OCR and
 * staff versions of ~300 characters and per-line boxes) and of seeds (タネ, default 20 000, as a
 * city has them after a few years: anchored in approved texts, mostly decided — accepted into a
 * resource, merged into one, rejected — the recent ones mostly still proposed, with the
 * resources and the decisions, some undone, behind them). Starts the real server on it and
 * prints the median, p90, p95 and max answer times of the review queue, of the page editor's
 * loader and of the seed-review queue (/seeds) with its filters — Remix single-fetch data
 * requests (`/review.data`, `/seeds.data`), which run the loaders of the page (root + route) and
 * encode their data, as a client-side navigation does — plus the full HTML pages for comparison.
 * `--only` runs one of the two sets of figures; `--seeds 0` leaves seeds out. `--dir` puts the
 * database elsewhere than test/.tmp, which every test run empties when it starts (a run of the
 * tests during the bench would delete its database).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { migrateToLatest } from "../../db/migrator";
import { hashSecret } from "../../app/utils/password.server";
import { openDatabase, type DB } from "../../app/utils/db.server";
import type { SeedCategory, SeedStatus } from "../../db/schema";
import { SEED_QUEUE_PAGE_SIZE } from "../../app/models/seeds.server";
import { TMP_DIR } from "../helpers/paths";
import { postgresCopyOf } from "../helpers/postgres";
import { Client, startServer } from "../helpers/server";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
};
const PAGES = opt("pages", 20_000);
const REQUESTS = opt("requests", 200);
const SEEDS = opt("seeds", 20_000);
const SEED_REQUESTS = opt("seed-requests", 50);
const ONLY = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const DIR = args.includes("--dir") ? path.resolve(args[args.indexOf("--dir") + 1]!) : TMP_DIR;
const PAGES_PER_GROUP = 100;
const AREAS = ["中央", "北部", "南部", "東部", "西部"] as const;

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

interface ApprovedPage {
  pageId: number;
  transcriptionId: number;
  text: string;
  area: string;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same database every run. */
function randomNumbers(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks index k of n with weight 1 / (k + 1): a few are common, most are rare. */
function zipf(n: number, random: () => number) {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 0; k < n; k++) cumulative.push((sum += 1 / (k + 1)));
  return () => {
    const x = random() * sum;
    let k = 0;
    while (cumulative[k]! < x) k++;
    return k;
  };
}

/** Phrases of the sample text staff tag, with the category and titles they give them. */
const PHRASES = [
  { text: "公園の桜", category: "nature", titles: ["公園の桜", "桜並木", "お花見の桜"] },
  { text: "桜のつぼみ", category: "nature", titles: ["桜のつぼみ", "春の花"] },
  { text: "公園", category: "place", titles: ["近所の公園", "公園", "児童公園", "中央公園"] },
  { text: "学校", category: "place", titles: ["学校", "小学校", "学校の図書室"] },
  { text: "散歩", category: "activity", titles: ["散歩", "朝の散歩", "散歩の会"] },
  { text: "午後に少し散歩", category: "activity", titles: ["午後の散歩", "ゆっくり散歩"] },
  { text: "ノートを読む", category: "activity", titles: ["交換ノート", "読書の時間"] },
  { text: "春が近い", category: "event", titles: ["春の行事", "季節の集まり"] },
  { text: "学校には行けなかった", category: "need", titles: ["学校に行けない日", "居場所"] },
  { text: "雨", category: "other", titles: ["雨の日の過ごし方", "雨の日"] },
  { text: "楽しみ", category: "idea", titles: ["楽しみを分け合う", "おたのしみ会"] },
] as const;

const TAGS = [
  "散歩",
  "自然",
  "季節",
  "居場所",
  "子ども",
  "高齢者",
  "公園",
  "花見",
  "学び",
  "運動",
  "読書",
  "交流",
  "雨の日",
  "子育て",
  "健康",
  "不登校",
  "食事",
  "相談",
  "地域行事",
  "図書館",
  "ボランティア",
  "体操",
  "手芸",
  "音楽",
  "料理",
  "朝市",
  "畑",
  "カフェ",
  "睡眠",
  "趣味",
  "買い物",
  "写真",
  "俳句",
  "将棋",
  "囲碁",
  "絵手紙",
  "茶話会",
  "防災",
  "ペット",
  "昔遊び",
] as const;

const STAFF = [
  ["sato", "佐藤 花子"],
  ["suzuki", "鈴木 一郎"],
  ["takahashi", "高橋 美咲"],
  ["tanaka", "田中 健"],
  ["ito", "伊藤 由美"],
  ["watanabe", "渡辺 誠"],
  ["yamamoto", "山本 さくら"],
  ["nakamura", "中村 大輔"],
  ["kobayashi", "小林 愛"],
  ["kato", "加藤 学"],
  ["yoshida", "吉田 恵"],
  ["yamada", "山田 太郎"],
] as const;

const DAY = 86_400_000;
const REJECT_REASONS = ["identifiable", "exists", "out_of_area", "other"] as const;

/**
 * Seeds as a city has them after a few years: proposed over 2½ years in approved pages (the
 * quote is the exact slice of the approved text at its code-point offsets), about 30 % still
 * proposed (mostly the recent ones), 40 % accepted (each into a new resource, as acceptSeed
 * does), 15 % merged into an existing resource, 15 % rejected; ~3 % 要確認; one decision row
 * per decided seed and, for some, an earlier decision that was undone.
 */
async function fillSeeds(db: DB, adminId: number, approved: ApprovedPage[]) {
  if (SEEDS === 0 || approved.length === 0) return null;
  const t0 = Date.now();
  const random = randomNumbers(2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const nextTag = zipf(TAGS.length, random);
  const nextProposer = zipf(STAFF.length, random);
  const staffIds: number[] = [];
  for (const [i, [login, name]] of STAFF.entries()) {
    const { id } = await db
      .insertInto("staff_user")
      .values({
        login,
        display_name: name,
        password_hash: "scrypt$bench$not-a-real-hash",
        role: i < 2 ? "admin" : "staff",
        // Someone who left: their seeds stay, with their name.
        active: i === STAFF.length - 1 ? 0 : 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    staffIds.push(id);
  }
  const deciders = [adminId, ...staffIds.slice(0, 4)];
  const start = Date.UTC(2026, 3, 20);
  const span = 2.5 * 365 * DAY;
  const resourcesByKey = new Map<string, number[]>();
  const allResources: number[] = [];
  const beforeJson = JSON.stringify({
    status: "proposed",
    resource_id: null,
    reject_reason: null,
    reject_note: "",
    decided_by_staff_id: null,
    decided_at: null,
  });

  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < SEEDS; i++) {
      const page = pick(approved);
      // The anchor: a phrase of the approved text, in code points.
      const found = PHRASES.flatMap((phrase) => {
        const at = page.text.indexOf(phrase.text);
        return at < 0 ? [] : [{ phrase, at }];
      });
      const chars = Array.from(page.text);
      let startCp: number;
      let endCp: number;
      let category: SeedCategory;
      let title: string;
      if (found.length > 0) {
        const { phrase, at } = pick(found);
        startCp = Array.from(page.text.slice(0, at)).length;
        endCp = startCp + Array.from(phrase.text).length;
        category = phrase.category;
        title = pick(phrase.titles);
      } else {
        startCp = Math.floor(random() * (chars.length - 8));
        endCp = startCp + 3 + Math.floor(random() * 5);
        category = "other";
        title = "その他";
      }
      const quote = chars.slice(startCp, endCp).join("");
      const tags = [
        ...new Set(Array.from({ length: pick([0, 1, 1, 2, 2, 3]) }, () => TAGS[nextTag()]!)),
      ];
      // The group's area, sometimes another one, rarely none.
      const r = random();
      const area = r < 0.88 ? page.area : r < 0.98 ? pick(AREAS) : "";
      const proposedMs = start + ((i + random() * 0.9) / SEEDS) * span;
      const proposedAt = new Date(proposedMs).toISOString();
      // Recent seeds are still proposed more often than old ones (30 % overall).
      const age = i / SEEDS;
      const d = random() * 70;
      const status: SeedStatus =
        random() < 0.9 * age * age
          ? "proposed"
          : d < 40 || (d < 55 && allResources.length === 0)
            ? "accepted"
            : d < 55
              ? "merged"
              : "rejected";
      const decided = status !== "proposed";
      const decidedAt = decided
        ? new Date(proposedMs + DAY * (0.1 + random() * 30)).toISOString()
        : null;
      const decidedBy = decided ? pick(deciders) : null;
      const needsCheck =
        (status === "proposed" && random() < 0.02) ||
        ((status === "accepted" || status === "merged") && random() < 0.04);
      const consent = random() < 2 / 3;

      let resourceId: number | null = null;
      if (status === "accepted") {
        const rs = random();
        ({ id: resourceId } = await trx
          .insertInto("resource")
          .values({
            name: area ? `${area}の${title}` : title,
            category,
            tags_json: JSON.stringify(tags),
            area,
            visibility: consent && random() < 0.5 ? "public" : "staff",
            status:
              rs < 0.7 ? "active" : rs < 0.9 ? "to_verify" : rs < 0.98 ? "inactive" : "closed",
            created_by_staff_id: decidedBy,
            created_at: decidedAt!,
            updated_at: decidedAt!,
          })
          .returning("id")
          .executeTakeFirstOrThrow());
        const key = `${category}|${area}`;
        resourcesByKey.set(key, [...(resourcesByKey.get(key) ?? []), resourceId]);
        allResources.push(resourceId);
      } else if (status === "merged") {
        // Into a resource of the same kind and area when there is one.
        resourceId = pick(resourcesByKey.get(`${category}|${area}`) ?? allResources);
      }
      const rejectReason = status === "rejected" ? pick(REJECT_REASONS) : null;
      const source = random();
      const { id: seedId } = await trx
        .insertInto("seed")
        .values({
          page_id: page.pageId,
          transcription_id: page.transcriptionId,
          transcription_version: 2,
          start_cp: startCp,
          end_cp: endCp,
          quote,
          title,
          category,
          tags_json: JSON.stringify(tags),
          area,
          note: random() < 0.2 ? "本人の言葉のまま。" : "",
          status,
          needs_check: needsCheck ? 1 : 0,
          needs_check_reason: needsCheck
            ? status === "proposed"
              ? "reanchor_failed"
              : "consent_withdrawn"
            : null,
          resource_id: resourceId,
          reject_reason: rejectReason,
          reject_note: rejectReason === "other" ? "対象外の内容" : "",
          source: source < 0.8 ? "staff" : source < 0.92 ? "autolink" : "discovery",
          proposed_by_staff_id: staffIds[nextProposer()]!,
          proposed_at: proposedAt,
          decided_by_staff_id: decidedBy,
          decided_at: decidedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (!decided) continue;
      if (random() < 0.03) {
        // A first decision, undone the same minute.
        const at = new Date(proposedMs + DAY * 0.05).toISOString();
        await trx
          .insertInto("seed_decision")
          .values({
            seed_id: seedId,
            decision: "reject",
            before_json: beforeJson,
            decided_by_staff_id: decidedBy!,
            decided_at: at,
            undone_at: at,
          })
          .execute();
      }
      await trx
        .insertInto("seed_decision")
        .values({
          seed_id: seedId,
          decision: status === "accepted" ? "accept" : status === "merged" ? "merge" : "reject",
          before_json: beforeJson,
          created_resource_id: status === "accepted" ? resourceId : null,
          decided_by_staff_id: decidedBy!,
          decided_at: decidedAt!,
        })
        .execute();
    }
  });

  const byStatus = await db
    .selectFrom("seed")
    .select(["status", sql<number>`count(*)`.as("n")])
    .groupBy("status")
    .execute();
  const count = async (table: "resource" | "seed_decision") =>
    (
      await db
        .selectFrom(table)
        .select(sql<number>`count(*)`.as("n"))
        .executeTakeFirstOrThrow()
    ).n;
  const needsCheck = (
    await db
      .selectFrom("seed")
      .select(sql<number>`count(*)`.as("n"))
      .where("needs_check", "=", 1)
      .executeTakeFirstOrThrow()
  ).n;
  console.log(
    `filled ${SEEDS} seeds in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${byStatus.map((c) => `${c.status} ${c.n}`).join(", ")}; 要確認 ${needsCheck}; ${await count("resource")} resources, ${await count("seed_decision")} decisions`,
  );

  // Filter values for the measured cases: the commonest and the rarest tag and proposer among
  // proposed seeds (a rare value makes the queue look through every proposed seed).
  const tagCounts = await sql<{ tag: string; n: number }>`
    select j.value as tag, count(*) as n from seed s, json_each(s.tags_json) j
    where s.status = 'proposed' group by j.value order by n desc, j.value`.execute(db);
  const proposerCounts = await db
    .selectFrom("seed")
    .select(["proposed_by_staff_id as id", sql<number>`count(*)`.as("n")])
    .where("status", "=", "proposed")
    .groupBy("proposed_by_staff_id")
    .orderBy("n", "desc")
    .execute();
  const tags = tagCounts.rows;
  console.log(
    `proposed seeds per tag: ${tags[0]!.tag} ${tags[0]!.n} … ${tags.at(-1)!.tag} ${tags.at(-1)!.n}; per proposer: ${proposerCounts[0]!.n} … ${proposerCounts.at(-1)!.n}`,
  );
  return {
    commonTag: tags[0]!.tag,
    rareTag: tags.at(-1)!.tag,
    busyProposer: proposerCounts[0]!.id,
    rareProposer: proposerCounts.at(-1)!.id,
  };
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
  const roomIds: number[] = [];
  for (const [i, area] of AREAS.entries()) {
    const { id } = await db
      .insertInto("health_room")
      .values({ name: `ベンチ${area}保健室`, area, address: `架空市${area}${i + 1}-1` })
      .returning("id")
      .executeTakeFirstOrThrow();
    roomIds.push(id);
  }
  const { id: cohortId } = await db
    .insertInto("cohort")
    .values({ name: "2026年度", starts_on: "2026-04-01", ends_on: "2027-03-31" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const groups = Math.ceil(PAGES / PAGES_PER_GROUP);
  let pageNo = 0;
  const approved: ApprovedPage[] = [];
  await db.transaction().execute(async (trx) => {
    for (let g = 0; g < groups; g++) {
      const { id: groupId } = await trx
        .insertInto("diary_group")
        .values({
          cohort_id: cohortId,
          name: `グループ${g + 1}`,
          health_room_id: roomIds[g % AREAS.length]!,
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
            // Two writers in three agreed to anonymised seeds (a public resource needs it).
            consent_seeds_on: m < 2 ? "2026-04-01" : null,
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
        if (!waiting || pageNo % 2 === 0) {
          const text = l.map((x) => x.text).join("\n") + "。";
          const { id: transcriptionId } = await trx
            .insertInto("transcription")
            .values({
              page_id: pageId,
              version: 2,
              source: "staff",
              text,
              lines_json: JSON.stringify(l),
              created_by_staff_id: staffId,
              created_at: created,
            })
            .returning("id")
            .executeTakeFirstOrThrow();
          if (!waiting) approved.push({ pageId, transcriptionId, text, area: AREAS[g % 5]! });
        }
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
  const counts = await db
    .selectFrom("page")
    .select(["status", sql<number>`count(*)`.as("n")])
    .groupBy("status")
    .execute();
  console.log(
    `filled ${PAGES} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.status} ${c.n}`).join(", ")}`,
  );
  const seeds = await fillSeeds(db, staffId, approved);
  await sql`analyze`.execute(db);
  const waitingIds = (
    await db.selectFrom("page").select("id").where("status", "=", "needs_review").execute()
  ).map((r) => r.id);
  await sql`pragma wal_checkpoint(truncate)`.execute(db);
  await db.destroy();
  console.log(`database: ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
  return { password, waitingIds, seeds: seeds && { ...seeds, cohortId } };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/**
 * The data of a Remix single-fetch answer (turbo-stream: one line of JSON, a flat array of
 * values that refer to each other by index; objects are `{"_<key index>": <value index>}`).
 * Enough of the format for loader data without promises; anything else is refused, so that a
 * change of format fails the run instead of passing unchecked.
 */
function decodeSingleFetch(body: string): Record<string, { data?: unknown }> {
  const values = JSON.parse(body.split("\n")[0]!) as unknown[];
  const constants: Record<number, unknown> = { [-5]: null, [-7]: undefined };
  const hydrated = new Map<number, unknown>();
  const hydrate = (i: number): unknown => {
    if (i < 0) {
      if (!(i in constants)) throw new Error(`turbo-stream: constant ${i}`);
      return constants[i];
    }
    if (hydrated.has(i)) return hydrated.get(i);
    const value = values[i];
    if (value === null || typeof value !== "object") {
      hydrated.set(i, value);
      return value;
    }
    if (Array.isArray(value)) {
      if (typeof value[0] === "string") {
        if (value[0] !== "D") throw new Error(`turbo-stream: type ${value[0]}`);
        const date = new Date(value[1] as number);
        hydrated.set(i, date);
        return date;
      }
      const array: unknown[] = [];
      hydrated.set(i, array);
      for (const j of value as number[]) array.push(hydrate(j));
      return array;
    }
    const object: Record<string, unknown> = {};
    hydrated.set(i, object);
    for (const [key, j] of Object.entries(value as Record<string, number>))
      object[String(hydrate(Number(key.slice(1))))] = hydrate(j);
    return object;
  };
  return hydrate(0) as Record<string, { data?: unknown }>;
}

/** The data of one route in a single-fetch answer; throws when the route did not answer. */
function routeData<T>(body: string, route: string): T {
  const answer = decodeSingleFetch(body);
  const data = answer[route]?.data;
  if (!data || typeof data !== "object" || !answer.root?.data)
    throw new Error(`no data for ${route} (routes: ${Object.keys(answer).join(", ")})`);
  return data as T;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * Times `requests` sequential GETs of `next()` (after 10 warm-up ones) and checks every answer
 * — warm-up and measured — for status 200, its content type and what `verify` expects of the
 * body: a request that answers quickly with the wrong thing (an empty body, an error page, an
 * empty list) fails the run instead of giving a meaningless figure.
 */
async function measure(
  label: string,
  client: Client,
  next: () => string,
  type: "data" | "html",
  verify: (body: string, path: string) => void,
  requests = REQUESTS,
) {
  const contentType = type === "data" ? "text/x-script" : "text/html";
  const check = async (response: Response, path: string) => {
    const body = await response.text();
    try {
      assert(response.status === 200, `HTTP ${response.status}`);
      assert(
        response.headers.get("content-type")?.startsWith(contentType),
        `content type ${response.headers.get("content-type")}`,
      );
      if (type === "html") assert(body.includes("</html>"), "no </html>");
      verify(body, path);
    } catch (error) {
      throw new Error(`${label}: ${path}: ${(error as Error).message} (${body.length} bytes)`, {
        cause: error,
      });
    }
  };
  // Warm up (first requests compile statements and fill caches).
  for (let i = 0; i < 10; i++) {
    const path = next();
    await check(await client.get(path), path);
  }
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const path = next();
    const t = performance.now();
    const response = await client.get(path);
    const body = response.clone();
    await response.arrayBuffer();
    times.push(performance.now() - t);
    await check(body, path);
  }
  const ms = (q: number) => quantile(times, q).toFixed(1).padStart(6);
  console.log(
    `${label.padEnd(44)} median ${ms(0.5)} ms   p90 ${ms(0.9)} ms   p95 ${ms(0.95)} ms   max ${ms(1)} ms`,
  );
}

type SeedQuery = Partial<
  Record<"status" | "category" | "area" | "tag" | "proposer" | "cohort" | "order" | "page", string>
>;

interface SeedQueueExpectation {
  status: SeedStatus;
  ids: number[];
  hasMore: boolean;
  counts: Record<SeedStatus, number>;
}

/**
 * What the seed queue must answer for a query, found by plain SQL written here (not by the
 * model's query): the ids of the page in order, whether there is a next page, the counts.
 */
async function expectSeedQueue(file: string, query: SeedQuery): Promise<SeedQueueExpectation> {
  const db = openDatabase(file);
  try {
    const conds = [sql`1 = 1`];
    if (query.category) conds.push(sql`s.category = ${query.category}`);
    if (query.area) conds.push(sql`s.area = ${query.area}`);
    if (query.proposer) conds.push(sql`s.proposed_by_staff_id = ${Number(query.proposer)}`);
    if (query.tag) conds.push(sql`${query.tag} in (select value from json_each(s.tags_json))`);
    if (query.cohort)
      conds.push(
        sql`(select g.cohort_id from page p join diary_group g on g.id = p.group_id
             where p.id = s.page_id) = ${Number(query.cohort)}`,
      );
    const where = sql.join(conds, sql` and `);
    const status = (query.status ?? "proposed") as SeedStatus;
    const dir = sql.raw(query.order === "oldest" ? "asc" : "desc");
    const offset = (Number(query.page ?? 1) - 1) * SEED_QUEUE_PAGE_SIZE;
    const { rows } = await sql<{ id: number }>`
      select s.id from seed s where ${where} and s.status = ${status}
      order by s.proposed_at ${dir}, s.id ${dir}
      limit ${SEED_QUEUE_PAGE_SIZE + 1} offset ${offset}`.execute(db);
    const counts = { proposed: 0, accepted: 0, merged: 0, rejected: 0 };
    const byStatus = await sql<{ status: SeedStatus; n: number }>`
      select s.status, count(*) as n from seed s where ${where} group by s.status`.execute(db);
    for (const r of byStatus.rows) counts[r.status] = r.n;
    const ids = rows.slice(0, SEED_QUEUE_PAGE_SIZE).map((r) => r.id);
    // A case whose page is empty would time an empty list.
    assert(ids.length > 0, `no seeds for ${JSON.stringify(query)}`);
    return { status, ids, hasMore: rows.length > SEED_QUEUE_PAGE_SIZE, counts };
  } finally {
    await db.destroy();
  }
}

interface SeedQueueData {
  rows: Array<{
    id: number;
    quote: string;
    context: { text: string; start: number; end: number };
    status: string;
    proposerName: string;
    groupName: string | null;
  }>;
  hasMore: boolean;
  counts: Record<string, number>;
  filters: { status: string };
}

/** Checks a /seeds.data answer against the expectation, row by row. */
function verifySeedQueue(body: string, expected: SeedQueueExpectation) {
  const data = routeData<SeedQueueData>(body, "routes/seeds._index");
  const ids = data.rows.map((r) => r.id);
  assert(
    ids.join() === expected.ids.join(),
    `rows ${ids.slice(0, 5).join()}… (${ids.length}), expected ${expected.ids.slice(0, 5).join()}… (${expected.ids.length})`,
  );
  assert(data.hasMore === expected.hasMore, `hasMore ${data.hasMore}`);
  assert(
    JSON.stringify(data.counts) === JSON.stringify(expected.counts),
    `counts ${JSON.stringify(data.counts)}, expected ${JSON.stringify(expected.counts)}`,
  );
  assert(data.filters.status === expected.status, `status filter ${data.filters.status}`);
  for (const r of data.rows) {
    const { text, start, end } = r.context;
    assert(
      r.status === expected.status &&
        Array.from(text).slice(start, end).join("") === r.quote &&
        r.proposerName &&
        r.groupName,
      `row ${r.id}: ${JSON.stringify(r)}`,
    );
  }
  // The quotes in their sentences: the transcriptions were joined (without, a quote stands alone).
  assert(
    data.rows.some((r) => r.context.text.length > r.quote.length),
    "no quote has context",
  );
}

fs.mkdirSync(DIR, { recursive: true });
const file = path.join(DIR, `bench-review-${Date.now()}.db`);
const { password, waitingIds, seeds } = await fill(file);

// The seed queue cases and their expected answers, found before the server opens the file.
const seedCases: Array<{ label: string; query: SeedQuery; expected: SeedQueueExpectation }> = [];
if (ONLY !== "review" && seeds) {
  const cases: Array<[string, SeedQuery]> = [
    ["/seeds.data (proposed, newest first)", {}],
    ["oldest first", { order: "oldest" }],
    ["status accepted", { status: "accepted" }],
    ["category nature", { category: "nature" }],
    ["category place + area 北部", { category: "place", area: "北部" }],
    [`tag ${seeds.commonTag} (commonest)`, { tag: seeds.commonTag }],
    [`tag ${seeds.rareTag} (rarest)`, { tag: seeds.rareTag }],
    ["page 10", { page: "10" }],
    ["proposer (busiest)", { proposer: String(seeds.busyProposer) }],
    ["proposer (fewest proposed)", { proposer: String(seeds.rareProposer) }],
    ["cohort (the only one: every page)", { cohort: String(seeds.cohortId) }],
  ];
  for (const [label, query] of cases)
    seedCases.push({ label, query, expected: await expectSeedQueue(file, query) });
}

// --postgres: the same data copied into a throw-away PostgreSQL cluster, the server run on it.
const copy = args.includes("--postgres") ? await postgresCopyOf(file) : null;
const cluster = copy?.cluster ?? null;
const databaseUrl = copy?.env ?? {};
console.log(`database: ${cluster ? "PostgreSQL" : "SQLite"}`);

const server = await startServer({
  databasePath: file,
  env: {
    NODE_ENV: "production",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    UPLOADS_DIR: path.join(DIR, "bench-uploads"),
    ...databaseUrl,
  },
});
try {
  const client = new Client(server.url);
  await client.loginStaff("bench", password);
  let k = 0;
  const randomWaiting = () => waitingIds[(k = (k * 7919 + 13) % waitingIds.length)]!;
  const waiting = new Set(waitingIds);
  if (ONLY !== "seeds") {
    type ReviewQueueData = { rows: Array<{ id: number; groupId: number }> };
    const verifyQueue = (body: string, path: string) => {
      const { rows } = routeData<ReviewQueueData>(body, "routes/review._index");
      const group = new URL(path, server.url).searchParams.get("group");
      assert(rows.length > 0, "no rows");
      for (const r of rows)
        assert(
          waiting.has(r.id) && (!group || r.groupId === Number(group)),
          `row ${JSON.stringify(r)}`,
        );
    };
    const pageOf = (path: string) => Number(/\/review\/pages\/(\d+)/.exec(path)![1]);
    console.log(`${REQUESTS} sequential requests each, after 10 warm-up requests:`);
    await measure("queue loader   /review.data", client, () => "/review.data", "data", verifyQueue);
    await measure(
      "queue loader, filtered by group",
      client,
      () => `/review.data?group=${1 + (k++ % 50)}`,
      "data",
      verifyQueue,
    );
    await measure(
      "editor loader  /review/pages/:id.data",
      client,
      () => `/review/pages/${randomWaiting()}.data`,
      "data",
      (body, path) => {
        const { page } = routeData<{ page: { id: number } }>(body, "routes/review.pages.$pageId");
        assert(page.id === pageOf(path), `page ${page.id}`);
      },
    );
    await measure(
      "queue page (HTML)",
      client,
      () => "/review",
      "html",
      (body) => assert(/href="\/review\/pages\/\d+/.test(body), "no page links"),
    );
    await measure(
      "editor page (HTML)",
      client,
      () => `/review/pages/${randomWaiting()}`,
      "html",
      (body, path) =>
        assert(body.includes(`"/review/pages/${pageOf(path)}`), "not the requested page"),
    );
  }
  if (seedCases.length > 0) {
    console.log(`seed-review queue, ${SEED_REQUESTS} sequential requests each, after 10 warm-up:`);
    for (const { label, query, expected } of seedCases) {
      const search = new URLSearchParams(query as Record<string, string>).toString();
      await measure(
        `  ${label}`,
        client,
        () => `/seeds.data${search ? `?${search}` : ""}`,
        "data",
        (body) => verifySeedQueue(body, expected),
        SEED_REQUESTS,
      );
    }
    const first = seedCases[0]!.expected;
    await measure(
      "seed queue page (HTML)",
      client,
      () => "/seeds",
      "html",
      (body) => {
        const ids = [...body.matchAll(/data-seed-id="(\d+)"/g)].map((m) => Number(m[1]));
        assert(ids.join() === first.ids.join(), `rows ${ids.slice(0, 5).join()}… (${ids.length})`);
      },
      SEED_REQUESTS,
    );
  }
} finally {
  await server.stop();
  cluster?.stop();
  if (args.includes("--keep")) console.log(`database kept: ${file}`);
  else for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}
