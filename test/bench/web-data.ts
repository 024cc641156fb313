/**
 * The data set of `npm run bench:web`: a city's diary programme after three years, written
 * straight into a fresh SQLite file (migrated by the app's own migrations) with prepared
 * statements in one transaction, so that it takes seconds, not minutes.
 *
 * What is in it (defaults): 6 cohorts, 300 groups (50 per cohort: the two newest cohorts active,
 * five groups still forming, the older ones finished), 1 000 participants (900 current members,
 * some who left and were replaced, some withdrawn, some waiting for a group), one notebook per
 * group with weekly handoffs (some holders overdue), 50 000 pages (a done OCR job and an OCR
 * draft each, a staff version for every approved page and some waiting ones, a third version
 * for some; ~1 500 waiting for review), 見守り flags (a few dozen open), hidden pages and open hide
 * requests, 2 000 resources (HSDS fields, a location for ~80 %), 5 000 seeds anchored in approved
 * texts (proposed, accepted, merged, rejected, with their decisions), open seed suggestions,
 * resource history, town walks, concern phrases and ~150 000 audit rows.
 *
 * Images: every page points at one of a handful of small derived JPEGs written once into the
 * bench's uploads folder (viewing image, thumbnail, crop), so the image routes answer 200.
 *
 * Credentials: 20 staff accounts share one password (one scrypt hash, as the app stores it); every
 * participant has an access code with their own selector and one shared secret part, hashed
 * once — hashing 1 000 codes at the app's scrypt cost would take minutes, and login looks a code
 * up by its selector and verifies the one hash either way.
 */
import SQLite from "better-sqlite3";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { migrateToLatest } from "../../db/migrator";
import type { SeedCategory } from "../../db/schema";
import { resourceSearchKey } from "../../app/models/resources.server";
import { openDatabase } from "../../app/utils/db.server";
import { localDate } from "../../app/utils/dates";
import { hashSecret } from "../../app/utils/password.server";

export interface WebDataOptions {
  groups: number;
  pages: number;
  seeds: number;
  resources: number;
  participants: number;
}

export const DEFAULT_WEB_DATA: WebDataOptions = {
  groups: 300,
  pages: 50_000,
  seeds: 5_000,
  resources: 2_000,
  participants: 1_000,
};

export interface WebData {
  staffPassword: string;
  staffLogins: string[];
  /** Codes of participants who are current members of an active group (they can log in). */
  participantCodes: Array<{ code: string; participantId: number; groupId: number }>;
  groupIds: number[];
  participantIds: number[];
  /** Pages for the review editor: every status, waiting pages first in the list. */
  pageIds: number[];
  waitingPageIds: number[];
  counts: Record<string, number>;
}

const DAY = 86_400_000;
const STAFF_PASSWORD = "bench-password-long";
/** The secret part of every code (letters of the access-code alphabet). */
const SHARED_VERIFIER = "WEBBENCH";
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

const AREAS = ["中央", "北部", "南部", "東部", "西部", "駅前", "川端", "山手", "港町", "緑ヶ丘"];
const FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
const GIVEN = ["花子", "一郎", "美咲", "健", "由美", "誠", "さくら", "大輔", "愛", "学", "恵"];
const PEN = ["ひまわり", "そら", "くじら", "こぐま", "はるかぜ", "もみじ", "つばめ", "ほたる"];
const AGE_BANDS = ["teens", "20s", "30s", "40s", "50s", "60s", "70plus", "unspecified"];
const SENTENCES = [
  "きょうは朝から雨でした。",
  "学校には行けなかったけれど、午後に少し散歩をしました。",
  "公園の桜のつぼみがふくらんでいて、春が近いと思いました。",
  "近所のカフェで体操の会のちらしを見ました。",
  "ノートを読むのが楽しみです。",
  "おばあちゃんと一緒に畑でじゃがいもを掘りました。",
  "図書館で借りた本がおもしろくて、夜おそくまで読んでしまいました。",
  "駅前の朝市で、とれたてのトマトを買いました。",
  "最近よく眠れない日が続いています。",
  "保健室の人とお茶を飲みながら話しました。",
  "子ども食堂のカレーがおいしかったです。",
  "手芸サークルで小さな巾着を作りました。",
];
const KINDS: ReadonlyArray<readonly [string, SeedCategory]> = [
  ["体操教室", "activity"],
  ["カフェ", "shop"],
  ["公民館", "place"],
  ["子ども食堂", "other"],
  ["散歩の会", "activity"],
  ["朝市", "event"],
  ["囲碁クラブ", "activity"],
  ["茶話会", "event"],
  ["手芸サークル", "activity"],
  ["菜園", "nature"],
  ["図書コーナー", "place"],
  ["買い物支援", "need"],
  ["昔遊びの名人", "person_skill"],
  ["交換ノートの会", "idea"],
];
const PHRASES: ReadonlyArray<readonly [string, SeedCategory]> = [
  ["公園の桜", "nature"],
  ["散歩", "activity"],
  ["体操の会", "activity"],
  ["朝市", "event"],
  ["図書館", "place"],
  ["子ども食堂", "other"],
  ["手芸サークル", "activity"],
  ["畑", "nature"],
  ["カフェ", "shop"],
];
const TAGS = [
  "高齢者",
  "子ども",
  "居場所",
  "健康",
  "交流",
  "子育て",
  "運動",
  "食事",
  "自然",
  "季節",
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same data every run. */
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

/** Prepared INSERTs, one per table and column set, returning the new rowid. */
function inserter(db: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return (table: string, row: Record<string, unknown>): number => {
    const columns = Object.keys(row);
    const key = `${table}(${columns.join()})`;
    let statement = statements.get(key);
    if (!statement) {
      statement = db.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map((c) => `@${c}`).join(", ")})`,
      );
      statements.set(key, statement);
    }
    return Number(statement.run(row).lastInsertRowid);
  };
}

/** A few small derived JPEGs (viewing image, thumbnail, crop) every page points at. */
async function writeImages(uploadsDir: string, variants: number) {
  const dir = path.join(uploadsDir, "derived");
  fs.mkdirSync(dir, { recursive: true });
  const paths: Array<{ view: string; thumb: string; crop: string }> = [];
  for (let i = 0; i < variants; i++) {
    const paper = { r: 250 - i * 6, g: 246 - i * 4, b: 235 };
    const lines = Array.from(
      { length: 14 },
      (_, k) =>
        `<rect x="60" y="${90 + k * 64}" width="${560 - ((k * 37 + i * 53) % 200)}" height="6" fill="#556"/>`,
    ).join("");
    const svg = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1000"><rect width="720" height="1000" fill="rgb(${paper.r},${paper.g},${paper.b})"/>${lines}</svg>`,
    );
    const names = {
      view: `bench-web-${i}.jpg`,
      thumb: `bench-web-${i}-t.jpg`,
      crop: `bench-web-${i}-c.jpg`,
    };
    await sharp(svg).resize(1200, 1667).jpeg({ quality: 80 }).toFile(path.join(dir, names.view));
    await sharp(svg).resize(240, 333).jpeg({ quality: 75 }).toFile(path.join(dir, names.thumb));
    await sharp(svg).resize(1100, 1560).jpeg({ quality: 80 }).toFile(path.join(dir, names.crop));
    paths.push({
      view: `derived/${names.view}`,
      thumb: `derived/${names.thumb}`,
      crop: `derived/${names.crop}`,
    });
  }
  return paths;
}

export async function generateWebData(
  file: string,
  uploadsDir: string,
  options: WebDataOptions = DEFAULT_WEB_DATA,
): Promise<WebData> {
  // The schema from the app's migrations, then plain prepared statements for speed.
  const kysely = openDatabase(file);
  await migrateToLatest(kysely);
  await kysely.destroy();
  const images = await writeImages(uploadsDir, 4);
  const passwordHash = await hashSecret(STAFF_PASSWORD);
  const codeHash = await hashSecret(SHARED_VERIFIER);

  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = ON");
  const insert = inserter(db);
  const random = randomNumbers(15);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const counts: Record<string, number> = {};
  const count = (table: string, n = 1) => (counts[table] = (counts[table] ?? 0) + n);
  const audits: Array<Record<string, unknown>> = [];
  const audit = (
    at: number,
    action: string,
    entityType: string,
    entityId: number | null,
    actor: { staff?: number; participant?: number },
    detail: object = {},
  ) =>
    audits.push({
      at: iso(at),
      actor_type: actor.staff ? "staff" : actor.participant ? "participant" : "system",
      actor_staff_id: actor.staff ?? null,
      actor_participant_id: actor.participant ?? null,
      action,
      entity_type: entityType,
      entity_id: entityId === null ? null : String(entityId),
      detail: JSON.stringify(detail),
      ip: "192.0.2.10",
    });

  const result = db.transaction(() => {
    // Staff: "bench" (admin) and 19 colleagues, all with the same password.
    const staffLogins: string[] = [];
    const staffIds: number[] = [];
    for (let i = 0; i < 20; i++) {
      const login = i === 0 ? "bench" : `staff${String(i).padStart(2, "0")}`;
      staffLogins.push(login);
      staffIds.push(
        insert("staff_user", {
          login,
          display_name: `${FAMILY[i % FAMILY.length]} ${GIVEN[i % GIVEN.length]}`,
          password_hash: passwordHash,
          role: i < 3 ? "admin" : "staff",
          created_at: iso(now - 3 * 365 * DAY),
          updated_at: iso(now - 3 * 365 * DAY),
        }),
      );
    }
    count("staff_user", staffIds.length);
    const roomIds = AREAS.map((area, a) =>
      insert("health_room", {
        name: `${area}保健室`,
        area,
        address: `架空市${area}${a + 1}-1`,
        hours: "火・木 10:00〜16:00",
        lat: 35.6 + Math.floor(a / 5) * 0.02,
        lng: 139.6 + (a % 5) * 0.02,
      }),
    );
    count("health_room", roomIds.length);
    // The concern phrases the migrations put in.
    const phraseIds = (
      db.prepare("select id from concern_phrase").all() as Array<{ id: number }>
    ).map((r) => r.id);
    if (phraseIds.length === 0) throw new Error("no concern phrases");

    // Cohorts: one every half year, a year long; the last two are running.
    const COHORTS = 6;
    const cohorts = Array.from({ length: COHORTS }, (_, c) => {
      const start = now - (COHORTS - c) * 182 * DAY + 90 * DAY;
      const startsOn = localDate(new Date(start));
      const endsOn = localDate(new Date(start + 364 * DAY));
      const id = insert("cohort", {
        name: `第${c + 1}期（${startsOn.slice(0, 7)}〜）`,
        starts_on: startsOn,
        ends_on: endsOn,
        created_at: iso(start - 30 * DAY),
        updated_at: iso(start - 30 * DAY),
      });
      return { id, start, end: start + 364 * DAY, active: start + 364 * DAY > now };
    });
    count("cohort", COHORTS);

    // Participants and groups, cohort by cohort.
    const participantIds: number[] = [];
    const participantCodes: WebData["participantCodes"] = [];
    const groupIds: number[] = [];
    const groupsPerCohort = Math.ceil(options.groups / COHORTS);
    const participantsPerCohort = Math.ceil(options.participants / COHORTS);
    interface GroupInfo {
      id: number;
      notebookId: number;
      roomId: number;
      area: string;
      members: number[];
      start: number;
      end: number;
      active: boolean;
      forming: boolean;
    }
    const groups: GroupInfo[] = [];
    let selectorNo = 0;
    const nextSelector = () => {
      let n = selectorNo++ * 7919 + 101;
      let s = "";
      for (let k = 0; k < 4; k++) {
        s += CODE_ALPHABET[n % CODE_ALPHABET.length];
        n = Math.floor(n / CODE_ALPHABET.length);
      }
      return s;
    };
    for (const [c, cohort] of cohorts.entries()) {
      const inCohort: number[] = [];
      for (
        let k = 0;
        k < participantsPerCohort && participantIds.length < options.participants;
        k++
      ) {
        const n = participantIds.length;
        const withdrawn = k % 40 === 39;
        const selector = withdrawn ? null : nextSelector();
        const id = insert("participant", {
          cohort_id: cohort.id,
          real_name: `${pick(FAMILY)} ${pick(GIVEN)}`,
          pen_name: `${pick(PEN)}${n + 1}`,
          contact: k % 3 === 0 ? `090-0000-${String(n).padStart(4, "0")}` : null,
          age_band: pick(AGE_BANDS),
          referral_type: pick(["participant", "staff", "school", "sns", "other", "none"]),
          referred_by_participant_id: k > 5 && k % 4 === 0 ? pick(inCohort) : null,
          consent_reading_on: localDate(new Date(cohort.start)),
          consent_digitising_on: localDate(new Date(cohort.start)),
          consent_seeds_on: k % 3 === 2 ? null : localDate(new Date(cohort.start)),
          withdrawn_on: withdrawn ? localDate(new Date(cohort.start + 60 * DAY)) : null,
          access_code_selector: selector,
          access_code_hash: selector ? codeHash : null,
          access_code_issued_at: selector ? iso(cohort.start - 7 * DAY) : null,
          created_at: iso(cohort.start - 30 * DAY),
          updated_at: iso(cohort.start - 30 * DAY),
        });
        audit(cohort.start - 30 * DAY, "participant.create", "participant", id, {
          staff: pick(staffIds),
        });
        participantIds.push(id);
        if (!withdrawn) inCohort.push(id);
        if (selector)
          participantCodes.push({
            code: `${selector}-${SHARED_VERIFIER.slice(0, 4)}-${SHARED_VERIFIER.slice(4)}`,
            participantId: id,
            groupId: 0,
          });
      }
      for (let g = 0; g < groupsPerCohort && groupIds.length < options.groups; g++) {
        const room = (c * groupsPerCohort + g) % roomIds.length;
        const forming = cohort.active && c === COHORTS - 1 && g >= groupsPerCohort - 5;
        const status = forming ? "forming" : cohort.active ? "active" : "finished";
        const id = insert("diary_group", {
          cohort_id: cohort.id,
          name: `${AREAS[room]}グループ${g + 1}`,
          health_room_id: roomIds[room],
          handoff_interval_days: 7,
          status,
          created_at: iso(cohort.start - 14 * DAY),
          updated_at: iso(cohort.start),
        });
        const notebookId = insert("notebook", {
          group_id: id,
          label: `ノート${c + 1}-${g + 1}`,
          created_at: iso(cohort.start - 14 * DAY),
          updated_at: iso(cohort.start - 14 * DAY),
        });
        groupIds.push(id);
        const members = inCohort.slice(g * 3, g * 3 + 3);
        if (members.length < 3) throw new Error("not enough participants for the groups");
        groups.push({
          id,
          notebookId,
          roomId: roomIds[room]!,
          area: AREAS[room]!,
          members,
          start: cohort.start,
          end: Math.min(cohort.end, now - DAY),
          active: status === "active",
          forming,
        });
        for (const [position, participantId] of members.entries()) {
          // One member in fifteen joined as a replacement for someone who left.
          const replaced = (g * 3 + position) % 15 === 7;
          const spare = inCohort[inCohort.length - 1 - ((g + position) % 10)]!;
          if (replaced && spare !== participantId && !members.includes(spare)) {
            insert("group_member", {
              group_id: id,
              participant_id: spare,
              position: position + 1,
              joined_on: localDate(new Date(cohort.start)),
              left_on: localDate(new Date(cohort.start + 40 * DAY)),
              left_reason: "転居のため",
            });
            count("group_member");
          }
          insert("group_member", {
            group_id: id,
            participant_id: participantId,
            position: position + 1,
            joined_on: localDate(new Date(cohort.start + (replaced ? 41 * DAY : 0))),
          });
          count("group_member");
          const entry = participantCodes.find((p) => p.participantId === participantId);
          if (entry && status === "active") entry.groupId = id;
        }
        audit(cohort.start - 14 * DAY, "group.create", "group", id, { staff: pick(staffIds) });
      }
    }
    count("participant", participantIds.length);
    count("diary_group", groupIds.length);

    // Custody: weekly handoffs from the cohort's start; active groups end with a holder.
    for (const group of groups) {
      if (group.forming) continue;
      let holder: number | null = null;
      let k = 0;
      for (let t = group.start; t < group.end; t += 7 * DAY, k++) {
        const to: number | null = k % 4 === 3 ? null : group.members[k % 3]!;
        const handedAt = t + 10 * 3_600_000;
        // Some holders of running groups are late: the last due date lies in the past.
        const late = group.active && t + 7 * DAY >= group.end && group.id % 6 === 0;
        insert("handoff", {
          notebook_id: group.notebookId,
          from_participant_id: holder,
          to_participant_id: to,
          health_room_id: group.roomId,
          recorded_by_staff_id: staffIds[k % staffIds.length],
          handed_at: iso(handedAt),
          due_on: to === null ? null : localDate(new Date(handedAt + (late ? -2 : 7) * DAY)),
          note: k % 9 === 0 ? "表紙が少し濡れていた" : "",
          created_at: iso(handedAt),
        });
        count("handoff");
        holder = to;
      }
      if (!group.active && holder !== null) {
        insert("handoff", {
          notebook_id: group.notebookId,
          from_participant_id: holder,
          to_participant_id: null,
          health_room_id: group.roomId,
          recorded_by_staff_id: staffIds[0],
          handed_at: iso(group.end),
          due_on: null,
          note: "",
          created_at: iso(group.end),
        });
        count("handoff");
      }
    }

    // Pages, OCR jobs, transcriptions, flags, hide requests.
    const writing = groups.filter((g) => !g.forming);
    const perGroup = Math.floor(options.pages / writing.length);
    const pageIds: number[] = [];
    const waitingPageIds: number[] = [];
    const approved: Array<{
      pageId: number;
      transcriptionId: number;
      text: string;
      area: string;
      version: number;
    }> = [];
    let pageNo = 0;
    for (const [gi, group] of writing.entries()) {
      const n = gi < options.pages - perGroup * writing.length ? perGroup + 1 : perGroup;
      for (let p = 0; p < n; p++, pageNo++) {
        const createdMs = group.start + ((p + 0.5) / n) * (group.end - group.start);
        const created = iso(createdMs);
        // The newest pages of running groups wait for review (about 1 500 in all).
        const fromEnd = n - p;
        const status =
          group.active && fromEnd <= 12
            ? fromEnd === 1 && gi % 10 === 0
              ? "queued"
              : fromEnd === 2 && gi % 25 === 0
                ? "ocr_failed"
                : "needs_review"
            : "approved";
        const seq = pageNo;
        const lines = Array.from({ length: 8 + (seq % 5) }, (_, l) => {
          const text = SENTENCES[(seq * 7 + l * 3) % SENTENCES.length]!;
          return {
            text,
            bbox: { x0: 80, y0: 90 + l * 110, x1: 1100, y1: 160 + l * 110 },
            confidence: 55 + ((seq + l * 13) % 45),
            unsure: l % 3 === 0 ? [2, 4] : [],
          };
        });
        const ocrText = lines.map((l) => l.text).join("\n");
        const img = images[pageNo % images.length]!;
        const hasCrop = status !== "queued" && status !== "ocr_failed";
        const staffVersions =
          status === "approved" ? (pageNo % 10 === 0 ? 2 : 1) : pageNo % 3 === 0 ? 1 : 0;
        const approvedVersion = status === "approved" ? 1 + staffVersions : null;
        const reviewer = staffIds[pageNo % staffIds.length]!;
        const hidden = status === "approved" && pageNo % 1500 === 7;
        const hideRequested = status === "approved" && !hidden && pageNo % 5000 === 11;
        const pageId = insert("page", {
          group_id: group.id,
          notebook_id: group.notebookId,
          page_number: p + 1,
          author_participant_id: p % 17 === 16 ? null : group.members[p % 3],
          entry_date: p % 11 === 10 ? null : localDate(new Date(createdMs - DAY)),
          layout_setting: "auto",
          layout: status === "queued" ? null : p % 7 === 0 ? "vertical" : "horizontal",
          status,
          ocr_error: status === "ocr_failed" ? "読み取りに失敗しました" : null,
          image_sha256: crypto.createHash("sha256").update(`web-${pageNo}`).digest("hex"),
          original_path: `originals/bench-web-${pageNo}.jpg`,
          viewing_path: img.view,
          thumb_path: img.thumb,
          width: 1200,
          height: 1667,
          hidden: hidden ? 1 : 0,
          hidden_at: hidden ? iso(createdMs + 3 * DAY) : null,
          hide_requested_by_participant_id: hidden || hideRequested ? group.members[p % 3] : null,
          hide_requested_at: hidden || hideRequested ? iso(createdMs + 2 * DAY) : null,
          hide_seen_at: hidden ? iso(createdMs + 3 * DAY) : null,
          uploaded_by_staff_id: staffIds[(pageNo >> 4) % staffIds.length],
          created_at: created,
          updated_at: created,
          uploaded_on: localDate(new Date(createdMs)),
          review_staff_id: status === "needs_review" && p % 9 === 0 ? reviewer : null,
          review_claimed_at:
            status === "needs_review" && p % 9 === 0 ? iso(now - 10 * 60_000) : null,
          approved_version: approvedVersion,
          approved_by_staff_id: approvedVersion ? reviewer : null,
          approved_at: approvedVersion ? iso(createdMs + DAY) : null,
          crop_path: hasCrop ? img.crop : null,
          crop_width: hasCrop ? 1100 : null,
          crop_height: hasCrop ? 1560 : null,
          crop_json: hasCrop ? JSON.stringify({ angle: 0.4, left: 40, top: 50 }) : null,
        });
        pageIds.push(pageId);
        if (status === "needs_review") waitingPageIds.push(pageId);
        audit(createdMs, "page.create", "page", pageId, { staff: reviewer });
        if (status === "queued") {
          insert("ocr_job", {
            page_id: pageId,
            state: "queued",
            run_after: created,
            created_at: created,
          });
          count("ocr_job");
          count("page");
          continue;
        }
        const jobId = insert("ocr_job", {
          page_id: pageId,
          state: status === "ocr_failed" ? "failed" : "done",
          attempts: status === "ocr_failed" ? 3 : 1,
          last_error: status === "ocr_failed" ? "timeout" : null,
          run_after: created,
          created_at: created,
          finished_at: iso(createdMs + 40_000),
          path_json: JSON.stringify({ passes: ["horizontal"], kept: "horizontal" }),
        });
        count("ocr_job");
        count("page");
        if (status === "ocr_failed") continue;
        let transcriptionId = insert("transcription", {
          page_id: pageId,
          version: 1,
          source: "ocr",
          text: ocrText,
          lines_json: JSON.stringify(lines),
          confidence: 70 + (pageNo % 25),
          layout: "horizontal",
          ocr_job_id: jobId,
          timings_json: JSON.stringify({ preprocess: 800, recognize: 31000 }),
          created_at: iso(createdMs + 40_000),
        });
        count("transcription");
        let text = ocrText;
        for (let v = 2; v <= 1 + staffVersions; v++) {
          text = text.replace("きょう", "今日").replace("\n", "") + (v === 3 ? "（追記）" : "");
          const firstLine = text.split("\n")[0]!;
          const edited = lines.map((l, k) => (k === 0 ? { ...l, text: firstLine } : l));
          transcriptionId = insert("transcription", {
            page_id: pageId,
            version: v,
            source: "staff",
            text,
            lines_json: JSON.stringify(edited),
            layout: "horizontal",
            created_by_staff_id: reviewer,
            created_at: iso(createdMs + (v - 1) * 3_600_000),
          });
          count("transcription");
          audit(
            createdMs + (v - 1) * 3_600_000,
            "transcription.save",
            "page",
            pageId,
            { staff: reviewer },
            { version: v },
          );
        }
        if (approvedVersion) {
          audit(
            createdMs + DAY,
            "page.approve",
            "page",
            pageId,
            { staff: reviewer },
            { version: approvedVersion },
          );
          approved.push({
            pageId,
            transcriptionId,
            text,
            area: group.area,
            version: approvedVersion,
          });
        }
        if (hidden || hideRequested)
          audit(createdMs + 2 * DAY, "page.hide_request", "page", pageId, {
            participant: group.members[p % 3],
          });
        // 見守り flags: about 1 page in 80; open on a few waiting and recent approved pages.
        if (pageNo % 80 === 5 || (status === "needs_review" && pageNo % 37 === 0)) {
          const open =
            status === "needs_review" || (group.active && fromEnd < 40 && pageNo % 3 === 0);
          const phrase = pageNo % 2 === 0 ? phraseIds[pageNo % phraseIds.length]! : null;
          insert("watch_flag", {
            page_id: pageId,
            source: phrase ? "phrase" : "manual",
            concern_phrase_id: phrase,
            matched_text: phrase ? "眠れない" : "",
            context_before: phrase ? "最近よく" : "",
            context_after: phrase ? "日が続いて" : "",
            transcription_version: 1,
            reason: phrase ? "" : "気になる書き方",
            status: open ? "open" : "acknowledged",
            raised_by_staff_id: phrase ? null : reviewer,
            created_at: iso(createdMs + 50_000),
            acknowledged_by_staff_id: open ? null : reviewer,
            acknowledged_at: open ? null : iso(createdMs + DAY),
            acknowledgement_note: open ? null : "保健師に共有済み",
          });
          count(open ? "watch_flag (open)" : "watch_flag (acknowledged)");
          audit(
            createdMs + 50_000,
            phrase ? "watch_flag.open" : "watch_flag.raise",
            "page",
            pageId,
            phrase ? {} : { staff: reviewer },
          );
        }
      }
    }

    // Resources (地域資源), with their history.
    const resourceIds: number[] = [];
    const resourcesByKey = new Map<string, number[]>();
    for (let r = 0; r < options.resources; r++) {
      const [kind, category] = KINDS[r % KINDS.length]!;
      const area = AREAS[(r * 7) % AREAS.length]!;
      const a = AREAS.indexOf(area);
      const name = `${area}の${kind}${Math.floor(r / KINDS.length) + 1}`;
      const tags = [TAGS[r % TAGS.length]!, TAGS[(r * 3 + 1) % TAGS.length]!];
      const description = `${SENTENCES[r % SENTENCES.length]}${SENTENCES[(r + 5) % SENTENCES.length]}`;
      const located = r % 5 !== 4;
      const createdMs = now - 3 * 365 * DAY + (r / options.resources) * 3 * 365 * DAY;
      const status =
        r % 10 < 7 ? "active" : r % 10 < 9 ? "to_verify" : r % 20 === 9 ? "inactive" : "closed";
      const id = insert("resource", {
        name,
        aliases_json: JSON.stringify(r % 4 === 0 ? [`${kind}（${area}）`] : []),
        description,
        category,
        tags_json: JSON.stringify(tags),
        area,
        visibility: r % 10 < 7 ? "public" : "staff",
        status,
        created_by_staff_id: staffIds[r % staffIds.length],
        created_at: iso(createdMs),
        updated_at: iso(createdMs + 30 * DAY),
        organization: r % 3 === 0 ? "社会福祉協議会" : "",
        address: `架空市${area}${(r % 9) + 1}-${(r % 13) + 1}`,
        lat: located ? 35.6 + Math.floor(a / 5) * 0.02 + (random() - 0.5) * 0.015 : null,
        lng: located ? 139.6 + (a % 5) * 0.02 + (random() - 0.5) * 0.015 : null,
        schedule_text: r % 2 === 0 ? "毎週木曜 10時〜12時" : "",
        schedule_json:
          r % 2 === 0
            ? JSON.stringify([{ kind: "weekly", days: ["thu"], start: "10:00", end: "12:00" }])
            : "[]",
        phone: r % 2 === 0 ? `03-0000-${String(r).padStart(4, "0")}` : "",
        email: r % 5 === 0 ? `info${r}@example.jp` : "",
        url: r % 6 === 0 ? `https://example.jp/r/${r}` : "",
        eligibility: r % 4 === 0 ? "どなたでも" : "",
        fees: r % 4 === 1 ? "100円" : "",
        verified_on: status === "active" ? localDate(new Date(createdMs + 60 * DAY)) : null,
        verified_by_staff_id: status === "active" ? staffIds[r % staffIds.length] : null,
        verified_how: status === "active" ? pick(["walk", "phone", "visit"]) : null,
        search_key: resourceSearchKey({
          name,
          aliases: r % 4 === 0 ? [`${kind}（${area}）`] : [],
          description,
          tags,
        }),
        updated_by_staff_id: staffIds[(r + 1) % staffIds.length],
      });
      resourceIds.push(id);
      const key = `${category}|${area}`;
      resourcesByKey.set(key, [...(resourcesByKey.get(key) ?? []), id]);
      for (const [field, oldValue, newValue] of [
        ["name", null, name],
        ["status", "to_verify", status],
      ] as const) {
        insert("resource_change", {
          resource_id: id,
          field,
          old_value: oldValue,
          new_value: newValue,
          staff_id: staffIds[r % staffIds.length],
          source: "edit",
          changed_at: iso(createdMs + (field === "name" ? 0 : 30 * DAY)),
        });
        count("resource_change");
      }
      audit(createdMs, "resource.create", "resource", id, { staff: staffIds[r % staffIds.length] });
    }
    count("resource", resourceIds.length);

    // Seeds (タネ) anchored in approved texts, and open suggestions on others.
    const beforeJson = JSON.stringify({
      status: "proposed",
      resource_id: null,
      reject_reason: null,
      reject_note: "",
      decided_by_staff_id: null,
      decided_at: null,
    });
    for (let s = 0; s < options.seeds && approved.length > 0; s++) {
      const page = approved[(s * 7919) % approved.length]!;
      const found = PHRASES.filter(([phrase]) => page.text.includes(phrase));
      const [phrase, category] =
        found.length > 0
          ? found[s % found.length]!
          : [Array.from(page.text).slice(0, 4).join(""), "other" as const];
      const at = page.text.indexOf(phrase);
      const startCp = Array.from(page.text.slice(0, at)).length;
      const endCp = startCp + Array.from(phrase).length;
      const age = s / options.seeds;
      const proposedMs = now - (1 - age) * 3 * 365 * DAY;
      const d = random();
      const status =
        random() < 0.6 * age * age
          ? "proposed"
          : d < 0.35
            ? "accepted"
            : d < 0.8
              ? "merged"
              : "rejected";
      const decided = status !== "proposed";
      const decidedMs = proposedMs + DAY * (0.5 + random() * 20);
      const decider = pick(staffIds.slice(0, 5));
      const candidates = resourcesByKey.get(`${category}|${page.area}`) ?? resourceIds;
      const resourceId = status === "accepted" || status === "merged" ? pick(candidates) : null;
      const seedId = insert("seed", {
        page_id: page.pageId,
        transcription_id: page.transcriptionId,
        transcription_version: page.version,
        start_cp: startCp,
        end_cp: endCp,
        quote: phrase,
        title: phrase,
        category,
        tags_json: JSON.stringify([TAGS[s % TAGS.length]]),
        area: page.area,
        note: s % 5 === 0 ? "本人の言葉のまま。" : "",
        status,
        needs_check: s % 50 === 0 ? 1 : 0,
        needs_check_reason: s % 50 === 0 ? "reanchor_failed" : null,
        resource_id: resourceId,
        reject_reason:
          status === "rejected" ? pick(["identifiable", "exists", "out_of_area", "other"]) : null,
        source: s % 10 < 8 ? "staff" : s % 10 === 8 ? "autolink" : "discovery",
        proposed_by_staff_id: staffIds[(s * 3) % staffIds.length],
        proposed_at: iso(proposedMs),
        decided_by_staff_id: decided ? decider : null,
        decided_at: decided ? iso(decidedMs) : null,
      });
      audit(proposedMs, "seed.propose", "seed", seedId, {
        staff: staffIds[(s * 3) % staffIds.length],
      });
      if (decided) {
        insert("seed_decision", {
          seed_id: seedId,
          decision: status === "accepted" ? "accept" : status === "merged" ? "merge" : "reject",
          before_json: beforeJson,
          created_resource_id: null,
          decided_by_staff_id: decider,
          decided_at: iso(decidedMs),
        });
        count("seed_decision");
        audit(
          decidedMs,
          `seed.${status === "accepted" ? "accept" : status === "merged" ? "merge" : "reject"}`,
          "seed",
          seedId,
          { staff: decider },
        );
      }
    }
    count("seed", Math.min(options.seeds, options.seeds * Math.sign(approved.length)));
    // Every approval made its suggestions (in the background, as the app does); those of the
    // newest approved pages are still open, the older ones were taken or dismissed long ago.
    for (const [i, page] of approved.entries()) {
      const recent = i >= approved.length - 1500;
      insert("seed_suggestion_run", {
        transcription_id: page.transcriptionId,
        page_id: page.pageId,
        found: recent ? 2 : 0,
      });
      count("seed_suggestion_run");
      if (!recent) continue;
      let k = 0;
      for (const [phrase, category] of PHRASES) {
        const at = page.text.indexOf(phrase);
        if (at < 0 || k >= 2) continue;
        const startCp = Array.from(page.text.slice(0, at)).length;
        insert("seed_suggestion", {
          page_id: page.pageId,
          transcription_id: page.transcriptionId,
          start_cp: startCp,
          end_cp: startCp + Array.from(phrase).length,
          quote: phrase,
          category,
          source: k === 0 ? "autolink" : "discovery",
          resource_id: k === 0 ? pick(resourceIds) : null,
        });
        count("seed_suggestion");
        k++;
      }
    }

    // Town walks with their stops.
    for (let w = 0; w < 30; w++) {
      const done = w < 24;
      const walkId = insert("town_walk", {
        area: AREAS[w % AREAS.length],
        health_room_id: roomIds[w % roomIds.length],
        planned_on: localDate(new Date(now - (30 - w) * 30 * DAY)),
        status: done ? "done" : "planned",
        created_by_staff_id: staffIds[w % staffIds.length],
      });
      for (let k = 0; k < 12; k++)
        insert("town_walk_stop", {
          walk_id: walkId,
          position: k + 1,
          resource_id: resourceIds[(w * 12 + k) % resourceIds.length],
          result: done ? pick(["verified", "changed", "closed", "not_found"]) : null,
          recorded_by_staff_id: done ? staffIds[w % staffIds.length] : null,
          recorded_at: done ? iso(now - (30 - w) * 30 * DAY) : null,
        });
      count("town_walk");
      count("town_walk_stop", 12);
    }

    // Logins over three years (staff each working day, participants now and then).
    for (let t = now - 3 * 365 * DAY; t < now - DAY; t += 3 * 3_600_000) {
      audit(t, "staff.login", "staff_user", pick(staffIds), { staff: pick(staffIds) });
      const p = pick(participantIds);
      audit(t + 60_000, "participant.login", "participant", p, { participant: p });
    }
    // Old sessions of staff and participants (still within their limits or just expired).
    for (let k = 0; k < 400; k++) {
      const staff = k % 2 === 0;
      const at = now - (k % 20) * 3_600_000;
      insert("session", {
        id: crypto.createHash("sha256").update(`old-session-${k}`).digest("hex"),
        kind: staff ? "staff" : "participant",
        staff_user_id: staff ? staffIds[k % staffIds.length] : null,
        participant_id: staff ? null : participantIds[k % participantIds.length],
        created_at: iso(at),
        last_seen_at: iso(at),
        expires_at: iso(at + 12 * 3_600_000),
        ip: "192.0.2.10",
        user_agent: "Mozilla/5.0",
      });
    }

    // The audit log in time order, as it was written.
    audits.sort((a, b) => (a.at as string).localeCompare(b.at as string));
    for (const row of audits) insert("audit_log", row);
    count("audit_log", audits.length);
    return {
      staffLogins,
      participantCodes: participantCodes.filter((p) => p.groupId !== 0),
      groupIds,
      participantIds,
      pageIds,
      waitingPageIds,
    };
  })();

  db.exec("analyze");
  db.pragma("wal_checkpoint(truncate)");
  db.close();
  return { staffPassword: STAFF_PASSWORD, counts, ...result };
}
