/**
 * npm run bench:resources [-- --resources 5000 --seeds 20000 --requests 100 --export-requests 20
 *                            --keep]
 *
 * Fills a fresh SQLite file with a city's community resources (地域資源, default 5 000 in ten
 * areas: HSDS fields filled — category, tags, aliases, organisation, address, a location for ~80 %,
 * structured schedules, phone/e-mail/URL; ~70 % public, mostly active; a search key from the app's
 * own `resourceSearchKey`), the seeds behind them (default 20 000 in 2 000 approved pages: one
 * accepted seed per resource, most of the rest merged into one, some proposed or rejected) and a
 * few history rows per resource. Starts the real server on it and prints the median, p90, p95
 * and max answer times of the staff list (`/resources.data`: page 1, a kana search, an area +
 * category filter), the map's data (`/resources/map.data`), the public page (full HTML, no
 * login) and every export (staff and public), checking every answer's status, type and content.
 */
import { mapDataFromPayload, type MapPayload, type MapRow } from "../../app/resources/map-data";
import SQLite from "better-sqlite3";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { migrateToLatest } from "../../db/migrator";
import type { ResourceStatus, SeedCategory, SeedStatus } from "../../db/schema";
import { resourceSearchKey } from "../../app/models/resources.server";
import { hashSecret } from "../../app/utils/password.server";
import { openDatabase } from "../../app/utils/db.server";
import { searchKey } from "../../app/utils/kana-fold";
import { WEEKDAYS, type ScheduleRule, type Weekday } from "../../app/utils/schedule";
import { ROOT } from "../helpers/paths";
import { Client, startServer } from "../helpers/server";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : fallback;
};
const RESOURCES = Math.max(100, opt("resources", 5_000));
const SEEDS = Math.max(RESOURCES, opt("seeds", 20_000));
const REQUESTS = opt("requests", 100);
const EXPORT_REQUESTS = opt("export-requests", 20);
const PAGES = 2_000;
const PAGES_PER_GROUP = 100;
const PAGE_SIZE = 50;
const SEARCH = "かふぇ";

const AREAS = [
  "中央",
  "北部",
  "南部",
  "東部",
  "西部",
  "駅前",
  "川端",
  "山手",
  "港町",
  "緑ヶ丘",
] as const;

/** Kinds of resource, commonest first, with their category (ｶﾌｪ: typed half-width by someone). */
const KINDS: ReadonlyArray<readonly [string, SeedCategory]> = [
  ["体操教室", "activity"],
  ["カフェ", "shop"],
  ["公民館", "place"],
  ["子ども食堂", "other"],
  ["散歩の会", "activity"],
  ["朝市", "event"],
  ["囲碁クラブ", "activity"],
  ["茶話会", "event"],
  ["集会所", "place"],
  ["手芸サークル", "activity"],
  ["菜園", "nature"],
  ["図書コーナー", "place"],
  ["喫茶店", "shop"],
  ["買い物支援", "need"],
  ["将棋の会", "activity"],
  ["ｶﾌｪ", "shop"],
  ["桜並木", "nature"],
  ["合唱団", "activity"],
  ["昔遊びの名人", "person_skill"],
  ["相談窓口", "other"],
  ["八百屋", "shop"],
  ["夏祭り", "event"],
  ["絵手紙の先生", "person_skill"],
  ["送迎", "need"],
  ["交換ノートの会", "idea"],
  ["ビオトープ", "nature"],
  ["防災訓練", "event"],
  ["料理教室", "activity"],
  ["駄菓子屋", "shop"],
  ["俳句の先生", "person_skill"],
];

const PREFIXES = [
  "ひばり",
  "さくら",
  "みどり",
  "ひだまり",
  "あおぞら",
  "ふれあい",
  "いこい",
  "やまびこ",
  "すみれ",
  "なかよし",
  "わかば",
  "こもれび",
] as const;

const TAGS = [
  "高齢者",
  "子ども",
  "居場所",
  "健康",
  "交流",
  "子育て",
  "運動",
  "食事",
  "カフェ",
  "相談",
  "学び",
  "趣味",
  "自然",
  "季節",
  "ボランティア",
  "不登校",
  "買い物",
  "防災",
  "音楽",
  "読書",
] as const;

const SENTENCES = [
  "毎回十人ほどが集まり、おしゃべりを楽しんでいます。",
  "初めての方も歓迎です。気軽にのぞいてください。",
  "子ども連れでも参加できます。",
  "雨の日はお休みです。",
  "カフェスペースでお茶を飲みながら休憩できます。",
  "地域のボランティアが運営しています。",
  "季節ごとに行事があります。",
  "段差がなく、車いすでも入れます。",
  "申し込みは不要です。",
  "健康相談の日もあります。",
] as const;

const ORGANIZATIONS = [
  "社会福祉協議会",
  "地域包括支援センター",
  "NPO法人ひだまり",
  "まちづくり協議会",
  "老人クラブ連合会",
] as const;

const DAY = 86_400_000;
const SAMPLE =
  "きょうは朝から雨でした。学校には行けなかったけれど、午後に少し散歩をしました。公園の桜のつぼみがふくらんでいて、春が近いと思いました。近所のカフェで体操の会のちらしを見ました。";

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

/** What the bench knows of each resource it wrote, to check the answers without the app's SQL. */
interface Generated {
  id: number;
  name: string;
  area: string;
  category: SeedCategory;
  status: ResourceStatus;
  visibility: "public" | "staff";
  located: boolean;
  /** The folded text the search should find words in, folded here field by field. */
  folded: string[];
}

async function fill(file: string) {
  const db = openDatabase(file);
  await migrateToLatest(db);
  const t0 = Date.now();
  const random = randomNumbers(2027);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const nextKind = zipf(KINDS.length, random);
  const nextTag = zipf(TAGS.length, random);
  const password = "bench-password-long";
  const { id: adminId } = await db
    .insertInto("staff_user")
    .values({
      login: "bench",
      display_name: "ベンチ 職員",
      password_hash: await hashSecret(password),
      role: "admin",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const staffIds = [adminId];
  for (const [i, name] of ["佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健"].entries()) {
    const { id } = await db
      .insertInto("staff_user")
      .values({
        login: `staff${i}`,
        display_name: name,
        password_hash: "scrypt$bench$not-a-real-hash",
        role: "staff",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    staffIds.push(id);
  }
  // Area centres on a 5 × 2 grid, a couple of kilometres apart.
  const centre = (a: number) => [35.6 + Math.floor(a / 5) * 0.02, 139.6 + (a % 5) * 0.02] as const;
  const roomIds: number[] = [];
  for (const [a, area] of AREAS.entries()) {
    const [lat, lng] = centre(a);
    const { id } = await db
      .insertInto("health_room")
      .values({ name: `${area}保健室`, area, address: `架空市${area}1-1`, lat, lng })
      .returning("id")
      .executeTakeFirstOrThrow();
    roomIds.push(id);
  }
  const { id: cohortId } = await db
    .insertInto("cohort")
    .values({ name: "2026年度", starts_on: "2026-04-01", ends_on: "2027-03-31" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const resources: Generated[] = [];
  let seedCount = 0;
  await db.transaction().execute(async (trx) => {
    // Approved pages (and their staff transcription) for the seeds to be anchored in.
    const pages: Array<{ pageId: number; transcriptionId: number; text: string }> = [];
    for (let g = 0; g * PAGES_PER_GROUP < PAGES; g++) {
      const { id: groupId } = await trx
        .insertInto("diary_group")
        .values({
          cohort_id: cohortId,
          name: `グループ${g + 1}`,
          health_room_id: roomIds[g % roomIds.length]!,
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
            age_band: "70plus",
            referral_type: "none",
            // Public resources rest on seeds whose writers consented.
            consent_seeds_on: "2026-04-01",
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
      for (let p = 0; p < PAGES_PER_GROUP; p++) {
        const n = g * PAGES_PER_GROUP + p;
        const created = new Date(Date.UTC(2024, 3, 1) + n * 3_600_000).toISOString();
        const { id: pageId } = await trx
          .insertInto("page")
          .values({
            group_id: groupId,
            notebook_id: notebookId,
            page_number: p + 1,
            author_participant_id: members[p % 3]!,
            entry_date: created.slice(0, 10),
            layout: "horizontal",
            status: "approved",
            image_sha256: crypto.createHash("sha256").update(`r${n}`).digest("hex"),
            original_path: `originals/bench-r${n}`,
            viewing_path: `derived/bench-r${n}.jpg`,
            thumb_path: `derived/bench-r${n}-t.jpg`,
            width: 1500,
            height: 2000,
            uploaded_by_staff_id: adminId,
            created_at: created,
            approved_version: 1,
            approved_by_staff_id: adminId,
            approved_at: created,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const start = n % 40;
        const text = SAMPLE.slice(start) + SAMPLE.slice(0, start);
        const { id: transcriptionId } = await trx
          .insertInto("transcription")
          .values({
            page_id: pageId,
            version: 1,
            source: "staff",
            text,
            lines_json: "[]",
            created_by_staff_id: adminId,
            created_at: created,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        pages.push({ pageId, transcriptionId, text });
      }
    }

    const names = new Set<string>();
    const start = Date.UTC(2024, 3, 1);
    const span = 2.5 * 365 * DAY;
    for (let i = 0; i < RESOURCES; i++) {
      const a = Math.floor(random() * AREAS.length);
      // A few resources (a city-wide service) have no area.
      const area = random() < 0.03 ? "" : AREAS[a]!;
      const [kind, category] = KINDS[nextKind()]!;
      let name = `${random() < 0.3 ? area || "市民" : pick(PREFIXES)}${kind}`;
      for (let k = 2; names.has(name); k++) name = `${name.replace(/ \d+$/, "")} ${k}`;
      names.add(name);
      const aliases = random() < 0.2 ? [`${pick(PREFIXES)}の${kind}`] : [];
      const tags = [
        ...new Set(Array.from({ length: pick([0, 1, 1, 2, 2, 3]) }, () => TAGS[nextTag()]!)),
      ];
      const description = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        pick(SENTENCES),
      ).join("");
      const located = random() < 0.8;
      const [clat, clng] = centre(a);
      const round = (x: number) => Math.round(x * 1e6) / 1e6;
      const rules: ScheduleRule[] = [];
      const nRules = random() < 0.25 ? 0 : random() < 0.8 ? 1 : 2;
      for (let k = 0; k < nRules; k++) {
        const opens = `${String(9 + Math.floor(random() * 6)).padStart(2, "0")}:${pick(["00", "30"])}`;
        const closes = `${String(Number(opens.slice(0, 2)) + 2).padStart(2, "0")}:${opens.slice(3)}`;
        const timed = random() < 0.85;
        if (random() < 0.7) {
          const days = new Set<Weekday>(
            Array.from({ length: pick([1, 1, 1, 2, 3]) }, () => pick(WEEKDAYS)),
          );
          rules.push({
            freq: "weekly",
            weekdays: WEEKDAYS.filter((d) => days.has(d)),
            opens: timed ? opens : null,
            closes: timed ? closes : null,
          });
        } else
          rules.push({
            freq: "monthly",
            ordinal: pick([1, 2, 3, 4, -1]),
            weekday: pick(WEEKDAYS),
            opens: timed ? opens : null,
            closes: timed ? closes : null,
          });
      }
      const rs = random();
      const status: ResourceStatus =
        rs < 0.78 ? "active" : rs < 0.9 ? "to_verify" : rs < 0.97 ? "inactive" : "closed";
      const visibility = random() < 0.7 ? "public" : "staff";
      const createdMs = start + (i / RESOURCES) * span;
      const createdAt = new Date(createdMs).toISOString();
      const verified = random() < 0.7;
      const verifiedOn = verified
        ? new Date(createdMs + random() * (Date.UTC(2026, 11, 1) - createdMs))
            .toISOString()
            .slice(0, 10)
        : null;
      const by = pick(staffIds);
      const { id } = await trx
        .insertInto("resource")
        .values({
          name,
          aliases_json: JSON.stringify(aliases),
          description,
          category,
          tags_json: JSON.stringify(tags),
          area,
          visibility,
          status,
          created_by_staff_id: by,
          created_at: createdAt,
          updated_at: new Date(createdMs + random() * 90 * DAY).toISOString(),
          organization: random() < 0.6 ? pick(ORGANIZATIONS) : "",
          address:
            random() < 0.9
              ? `架空市${area || "中央"}${1 + (i % 5)}丁目${1 + (i % 30)}-${1 + (i % 12)}`
              : "",
          lat: located ? round(clat + (random() - 0.5) * 0.016) : null,
          lng: located ? round(clng + (random() - 0.5) * 0.016) : null,
          schedule_text: random() < 0.3 ? pick(["祝日は休み", "8月は休み", "雨天中止"]) : "",
          schedule_json: JSON.stringify(rules),
          phone: random() < 0.6 ? `0${40 + (i % 50)}-${100 + (i % 900)}-${1000 + i}` : "",
          email: random() < 0.2 ? `info${i}@example.jp` : "",
          url: random() < 0.25 ? `https://example.jp/r/${i}` : "",
          eligibility: random() < 0.3 ? pick(["どなたでも", "65歳以上", "小学生と保護者"]) : "",
          fees: random() < 0.5 ? pick(["無料", "100円（お茶代）", "月500円"]) : "",
          verified_on: verifiedOn,
          verified_by_staff_id: verified ? pick(staffIds) : null,
          verified_how: verified ? pick(["walk", "phone", "visit", "other"] as const) : null,
          // The app's own function: the search key the list searches.
          search_key: resourceSearchKey({ name, aliases, description, tags }),
          updated_by_staff_id: by,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      resources.push({
        id,
        name,
        area,
        category,
        status,
        visibility,
        located,
        folded: [name, ...aliases, description, ...tags].map((s) => searchKey(s)),
      });

      // History: created from a seed, a few edits, the verification.
      const change = (field: string, oldValue: string | null, newValue: string | null) =>
        trx
          .insertInto("resource_change")
          .values({
            resource_id: id,
            field,
            old_value: oldValue,
            new_value: newValue,
            staff_id: pick(staffIds),
            source: field === "name" && oldValue === null ? "seed" : "edit",
            changed_at: new Date(createdMs + random() * 90 * DAY).toISOString(),
          })
          .execute();
      await change("name", null, name);
      await change("category", null, category);
      for (let k = Math.floor(random() * 4); k > 0; k--) {
        const field = pick(["description", "address", "phone", "schedule_json", "status"]);
        await change(field, "（前の値）", field === "status" ? status : "（新しい値）");
      }
      if (verifiedOn) await change("verified_on", null, `${verifiedOn} (phone)`);
    }

    // Seeds: one accepted per resource (it created it), then merged, proposed and rejected ones.
    const chars = (text: string) => Array.from(text);
    for (let i = 0; i < SEEDS; i++) {
      const page = pick(pages);
      const cps = chars(page.text);
      const startCp = Math.floor(random() * (cps.length - 10));
      const endCp = startCp + 3 + Math.floor(random() * 6);
      const x = random();
      const status: SeedStatus =
        i < RESOURCES ? "accepted" : x < 0.7 ? "merged" : x < 0.85 ? "proposed" : "rejected";
      // Merged seeds pile on some resources (the older, better known ones) more than others.
      const into =
        status === "accepted"
          ? resources[i]!
          : status === "merged"
            ? resources[Math.floor(random() ** 2 * resources.length)]!
            : null;
      const proposedMs = Date.UTC(2024, 3, 1) + random() * 2.5 * 365 * DAY;
      const decided = status !== "proposed";
      await trx
        .insertInto("seed")
        .values({
          page_id: page.pageId,
          transcription_id: page.transcriptionId,
          transcription_version: 1,
          start_cp: startCp,
          end_cp: endCp,
          quote: cps.slice(startCp, endCp).join(""),
          title: into?.name ?? "その他",
          category: into?.category ?? "other",
          tags_json: "[]",
          area: into?.area ?? pick(AREAS),
          status,
          resource_id: into?.id ?? null,
          reject_reason: status === "rejected" ? "exists" : null,
          proposed_by_staff_id: pick(staffIds),
          proposed_at: new Date(proposedMs).toISOString(),
          decided_by_staff_id: decided ? pick(staffIds) : null,
          decided_at: decided ? new Date(proposedMs + DAY).toISOString() : null,
        })
        .execute();
      seedCount++;
    }
  });
  await sql`analyze`.execute(db);
  const ordered = (
    await sql<{ id: number }>`select id from resource order by name, id`.execute(db)
  ).rows.map((r) => r.id);
  const linked = (
    await sql<{ n: number }>`select count(*) as n from seed where resource_id is not null`.execute(
      db,
    )
  ).rows[0]!.n;
  const changeCount = (
    await sql<{ n: number }>`select count(*) as n from resource_change`.execute(db)
  ).rows[0]!.n;
  await sql`pragma wal_checkpoint(truncate)`.execute(db);
  await db.destroy();
  const located = resources.filter((r) => r.located).length;
  const pub = resources.filter((r) => r.visibility === "public" && r.status === "active").length;
  console.log(
    `filled ${resources.length} resources (${located} located, ${pub} public and active), ${seedCount} seeds (${linked} linked to a resource) in ${PAGES} pages, ${changeCount} history rows in ${((Date.now() - t0) / 1000).toFixed(1)} s; database ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`,
  );
  return { password, resources, ordered };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/**
 * The data of a Remix single-fetch answer (turbo-stream: one line of JSON, a flat array of
 * values that refer to each other by index; objects are `{"_<key index>": <value index>}`).
 * Enough of the format for loader data without promises; anything else is refused, so that a
 * change of format fails the run instead of passing unchecked. (As in review-bench.ts.)
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

interface Figure {
  label: string;
  median: number;
  p95: number;
  max: number;
  bytes: number;
}
const figures: Figure[] = [];

/**
 * Times `requests` sequential GETs of `path` (after `warmUp` ones) and checks every answer —
 * warm-up and measured — for status 200, its content type and what `verify` expects of the
 * body: a quick wrong answer (an error page, an empty list) fails the run.
 */
async function measure(
  label: string,
  client: Client,
  path: string,
  contentType: string,
  verify: (body: string, response: Response) => void,
  requests = REQUESTS,
  warmUp = 10,
  /** Runs before every timed request, not timed itself (e.g. a change to the data). */
  before?: () => void,
) {
  let bytes = 0;
  const check = async (response: Response) => {
    // Decoded keeping a byte order mark (the CSV for Excel starts with one).
    const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    bytes = Buffer.byteLength(body);
    try {
      assert(response.status === 200, `HTTP ${response.status}`);
      assert(
        response.headers.get("content-type")?.startsWith(contentType),
        `content type ${response.headers.get("content-type")}`,
      );
      if (contentType === "text/html") assert(body.includes("</html>"), "no </html>");
      verify(body, response);
    } catch (error) {
      throw new Error(`${label}: ${path}: ${(error as Error).message} (${body.length} chars)`, {
        cause: error,
      });
    }
  };
  for (let i = 0; i < warmUp; i++) await check(await client.get(path));
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    before?.();
    const t = performance.now();
    const response = await client.get(path);
    const copy = response.clone();
    await response.arrayBuffer();
    times.push(performance.now() - t);
    await check(copy);
  }
  const figure = {
    label,
    median: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    max: quantile(times, 1),
    bytes,
  };
  figures.push(figure);
  const ms = (q: number) => quantile(times, q).toFixed(1).padStart(6);
  console.log(
    `${label.padEnd(46)} median ${ms(0.5)} ms   p90 ${ms(0.9)} ms   p95 ${ms(0.95)} ms   max ${ms(1)} ms   ${(bytes / 1024).toFixed(0).padStart(5)} KiB`,
  );
}

interface ListData {
  rows: Array<{ id: number; name: string; area: string; category: string; seeds: number }>;
  total: number;
  counts: Record<ResourceStatus, number>;
}

// Outside test/.tmp, which the test suites empty when they start (they may run meanwhile).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-resources-"));
const file = path.join(dir, "bench.db");
const { password, resources, ordered } = await fill(file);
const byId = new Map(resources.map((r) => [r.id, r]));
/** The first page of the list, in the list's order (name, id), of the resources that match. */
const expectList = (match: (r: Generated) => boolean) => {
  const ids = ordered.filter((id) => match(byId.get(id)!));
  assert(ids.length > 0, "a case with an empty list");
  return { ids: ids.slice(0, PAGE_SIZE), total: ids.length };
};
const statusCounts = (match: (r: Generated) => boolean) => {
  const counts: Record<ResourceStatus, number> = {
    active: 0,
    to_verify: 0,
    inactive: 0,
    closed: 0,
  };
  for (const r of resources) if (match(r)) counts[r.status]++;
  return counts;
};
const verifyList =
  (match: (r: Generated) => boolean) =>
  (body: string): void => {
    const expected = expectList(match);
    const data = routeData<ListData>(body, "routes/resources._index");
    const ids = data.rows.map((r) => r.id);
    assert(
      ids.join() === expected.ids.join(),
      `rows ${ids.slice(0, 5).join()}… (${ids.length}), expected ${expected.ids.slice(0, 5).join()}… (${expected.ids.length})`,
    );
    assert(data.total === expected.total, `total ${data.total}, expected ${expected.total}`);
    assert(
      JSON.stringify(data.counts) === JSON.stringify(statusCounts(match)),
      `counts ${JSON.stringify(data.counts)}`,
    );
    assert(
      data.rows.some((r) => r.seeds > 0),
      "no seed counts",
    );
  };
const folded = searchKey(SEARCH);
const matchesSearch = (r: Generated) => r.folded.some((s) => s.includes(folded));
// The area + category with the most resources, so that the page is full.
const pairs = new Map<string, number>();
for (const r of resources)
  if (r.area) pairs.set(`${r.area}|${r.category}`, (pairs.get(`${r.area}|${r.category}`) ?? 0) + 1);
const [pairArea, pairCategory] = [...pairs].sort((a, b) => b[1] - a[1])[0]![0].split("|") as [
  string,
  string,
];
const isPublic = (r: Generated) => r.visibility === "public" && r.status === "active";
const located = resources.filter((r) => r.located);
const publicOnes = resources.filter(isPublic);
console.log(
  `search ${SEARCH}: ${resources.filter(matchesSearch).length} matches; ${pairArea} + ${pairCategory}: ${pairs.get(`${pairArea}|${pairCategory}`)}`,
);

const exists = (route: string) => fs.existsSync(path.join(ROOT, "app", "routes", route));
const skipped: string[] = [];
const server = await startServer({
  databasePath: file,
  env: {
    NODE_ENV: "production",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    UPLOADS_DIR: path.join(dir, "uploads"),
  },
});
try {
  const staff = new Client(server.url);
  await staff.loginStaff("bench", password);
  console.log(
    `${REQUESTS} sequential requests each (exports ${EXPORT_REQUESTS}), after warm-up requests:`,
  );
  await measure(
    "list loader  /resources.data (page 1)",
    staff,
    "/resources.data",
    "text/x-script",
    verifyList(() => true),
  );
  await measure(
    `list, search ?q=${SEARCH}`,
    staff,
    `/resources.data?q=${encodeURIComponent(SEARCH)}`,
    "text/x-script",
    verifyList(matchesSearch),
  );
  await measure(
    `list, area ${pairArea} + category ${pairCategory}`,
    staff,
    `/resources.data?${new URLSearchParams({ area: pairArea, category: pairCategory })}`,
    "text/x-script",
    verifyList((r) => r.area === pairArea && r.category === pairCategory),
  );
  await measure("list page (HTML)", staff, "/resources", "text/html", (body) => {
    const first = byId.get(ordered[0]!)!;
    assert(body.includes(first.name.replace(/&/g, "&amp;")), `no ${first.name}`);
  });
  if (exists("resources.map.tsx")) {
    // The page's loader sends the count and the health rooms; the points come from
    // /resources/map/points as one JSON array, fetched by the page once it shows. Both are timed.
    const { payload } = routeData<{ payload: MapPayload }>(
      await (await staff.get("/resources/map.data")).text(),
      "routes/resources.map",
    );
    await measure(
      "map page loader  /resources/map.data",
      staff,
      "/resources/map.data",
      "text/x-script",
      (body) => {
        const data = routeData<{ payload: MapPayload }>(body, "routes/resources.map");
        assert(data.payload.total === resources.length, `total ${data.payload.total}`);
      },
    );
    await measure(
      "map data  /resources/map/points",
      staff,
      "/resources/map/points",
      "application/json",
      (body) => {
        const map = mapDataFromPayload(payload, JSON.parse(body) as MapRow[]);
        assert(map.total === resources.length, `total ${map.total}`);
        assert(map.points.length === located.length, `points ${map.points.length}`);
        const ids = new Set(located.map((r) => r.id));
        assert(
          map.points.every((p) => ids.has(p[0] as number)),
          "a point that is not a located resource",
        );
      },
    );
  } else skipped.push("/resources/map (no app/routes/resources.map.tsx)");

  const csvRecords = (body: string) => {
    assert(body.startsWith("\uFEFF"), "no BOM");
    assert(body.includes("\r\n"), "no CRLF");
    return parse(body.slice(1), { relaxColumnCount: false }) as string[][];
  };
  const exportsOf = (base: string, list: Generated[], client: Client, publicRoutes: boolean) => {
    const locatedIn = list.filter((r) => r.located).length;
    return [
      {
        label: `${publicRoutes ? "public" : "staff"} export CSV`,
        path: publicRoutes ? `${base}/export.csv` : `${base}/export/csv`,
        type: "text/csv",
        verify: (body: string) => {
          const records = csvRecords(body);
          assert(records.length === list.length + 1, `${records.length - 1} records`);
        },
      },
      {
        label: `${publicRoutes ? "public" : "staff"} export GeoJSON`,
        path: publicRoutes ? `${base}/export.geojson` : `${base}/export/geojson`,
        type: "application/geo+json",
        verify: (body: string, response: Response) => {
          const geojson = JSON.parse(body) as { type: string; features: unknown[] };
          assert(geojson.type === "FeatureCollection", `type ${geojson.type}`);
          assert(geojson.features.length === locatedIn, `${geojson.features.length} features`);
          const without = response.headers.get("x-resources-without-location");
          assert(Number(without) === list.length - locatedIn, `without location: ${without}`);
        },
      },
      {
        label: `${publicRoutes ? "public" : "staff"} export HSDS`,
        path: publicRoutes ? `${base}/export.hsds.json` : `${base}/export/hsds`,
        type: "application/json",
        verify: (body: string) => {
          const services = JSON.parse(body) as Array<{ name: string }>;
          assert(services.length === list.length, `${services.length} services`);
        },
      },
    ].map((e) => ({ ...e, client }));
  };
  for (const e of exportsOf("/resources", resources, staff, false))
    await measure(e.label, e.client, e.path, e.type, e.verify, EXPORT_REQUESTS, 3);
  {
    // The HSDS export reuses the records of resources that did not change since the last export
    // (checked by updated_at): timed again after a tenth, and after all, of them changed.
    const hsds = exportsOf("/resources", resources, staff, false)[2]!;
    const writer = new SQLite(file);
    writer.pragma("busy_timeout = 5000");
    let tick = 0;
    const touch = (share: number) => () => {
      const at = new Date(Date.UTC(2030, 0, 1, 0, 0, ++tick)).toISOString();
      writer
        .prepare("UPDATE resource SET updated_at = ? WHERE id % ? = 0")
        .run(at, Math.round(1 / share));
    };
    await measure(
      `${hsds.label}, a tenth changed`,
      staff,
      hsds.path,
      hsds.type,
      hsds.verify,
      EXPORT_REQUESTS,
      0,
      touch(0.1),
    );
    await measure(
      `${hsds.label}, every one changed`,
      staff,
      hsds.path,
      hsds.type,
      hsds.verify,
      EXPORT_REQUESTS,
      0,
      touch(1),
    );
    writer.close();
  }

  if (exists("public.resources._index.tsx")) {
    // No login: what anyone sees.
    const visitor = new Client(server.url);
    const hidden = resources.filter((r) => !isPublic(r)).slice(0, 200);
    /** Checks the total the page states, and the resources it shows (all, or its first page). */
    const verifyPublic = (expected: number, all: boolean) => (body: string) => {
      const stated = /data-testid="public-total"[^>]*>([\d,]+)/.exec(body)?.[1];
      assert(
        Number(stated?.replace(/,/g, "")) === expected,
        `total ${stated}, expected ${expected}`,
      );
      const n = body.split('class="public-resource"').length - 1;
      assert(
        all ? n === expected : n > 0 && (n === expected || (n < expected && /page=2/.test(body))),
        `${n} resources shown of ${expected}`,
      );
      const leaked = hidden.find((r) => body.includes(`>${r.name}<`));
      assert(!leaked, `staff-only or inactive resource shown: ${leaked?.name}`);
    };
    await measure(
      "public page  /public/resources (HTML)",
      visitor,
      "/public/resources",
      "text/html",
      verifyPublic(publicOnes.length, false),
    );
    await measure(
      "public page, every resource ?page=all (HTML)",
      visitor,
      "/public/resources?page=all",
      "text/html",
      verifyPublic(publicOnes.length, true),
      EXPORT_REQUESTS,
      3,
    );
    const area = AREAS[1];
    await measure(
      `public page, area ${area} (HTML)`,
      visitor,
      `/public/resources?area=${encodeURIComponent(area)}`,
      "text/html",
      verifyPublic(publicOnes.filter((r) => r.area === area).length, false),
    );
    const publicExports = [
      "public.resources.export[.]csv.ts",
      "public.resources.export[.]geojson.ts",
      "public.resources.export[.]hsds[.]json.ts",
    ];
    for (const [i, e] of exportsOf("/public/resources", publicOnes, visitor, true).entries()) {
      if (exists(publicExports[i]!))
        await measure(e.label, e.client, e.path, e.type, e.verify, EXPORT_REQUESTS, 3);
      else skipped.push(`${e.path} (no app/routes/${publicExports[i]})`);
    }
  } else skipped.push("/public/resources (no app/routes/public.resources._index.tsx)");

  if (skipped.length > 0) console.log(`skipped: ${skipped.join("; ")}`);
  console.log("\n| figure | median | p95 | max | size |\n| --- | --- | --- | --- | --- |");
  for (const f of figures)
    console.log(
      `| ${f.label} | ${f.median.toFixed(1)} ms | ${f.p95.toFixed(1)} ms | ${f.max.toFixed(1)} ms | ${(f.bytes / 1024).toFixed(0)} KiB |`,
    );
} finally {
  await server.stop();
  if (args.includes("--keep")) console.log(`database kept: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
