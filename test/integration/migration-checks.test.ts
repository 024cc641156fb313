/**
 * The CHECK migration rebuilds six tables by SQLite's 12-step procedure. Each test builds a
 * database at the migration before it, fills the rebuilt tables and the tables that point at them
 * (pages with OCR jobs, transcriptions and 見守り flags; participants with memberships, handoffs
 * and sessions), runs it, and looks at what is left: nothing lost, nothing dangling, bad values
 * refused, and a database left exactly as it was when the migration refuses to run.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Migrator, sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import type { Database } from "../../db/schema";
import { openDatabase } from "~/utils/db.server";
import { TMP_DIR } from "../helpers/paths";

const OURS = "2026_12_02_1700_add_checks";
const REBUILT = [
  "staff_user",
  "participant",
  "login_attempt",
  "page",
  "transcription",
  "concern_phrase",
] as const;

type DB = Kysely<Database>;
const opened: { db: DB; file: string }[] = [];

afterEach(async () => {
  for (const { db, file } of opened.splice(0)) {
    await db.destroy();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
});

/** A Migrator that knows the migrations up to `last` (Kysely runs them in name order). */
function migratorUpTo(db: DB, last: string) {
  const known = Object.fromEntries(Object.entries(migrations).filter(([name]) => name <= last));
  return new Migrator({ db, provider: { getMigrations: async () => known } });
}

const previous = Object.keys(migrations)
  .filter((name) => name < OURS)
  .sort()
  .at(-1)!;

/** A database file opened as the app opens it (WAL, foreign keys on), at the migration before ours. */
async function databaseBeforeChecks(): Promise<DB> {
  const file = path.join(TMP_DIR, `checks-${crypto.randomUUID()}.db`);
  const db = openDatabase(file);
  opened.push({ db, file });
  const { error } = await migratorUpTo(db, previous).migrateToLatest();
  if (error) throw error;
  return db;
}

const runChecks = (db: DB) => migratorUpTo(db, OURS).migrateToLatest();

async function applyChecks(db: DB) {
  const { error } = await runChecks(db);
  expect(error).toBeUndefined();
}

const at = (minute: number) => `2026-11-20T0${Math.floor(minute / 10)}:${minute % 10}0:00.000Z`;

/** Rows as the app writes them, in every rebuilt table and in the tables that refer to them. */
async function seed(db: DB) {
  const staff = [];
  for (const [login, role, active] of [
    ["tanaka", "admin", 1],
    ["suzuki", "staff", 1],
    ["sato", "staff", 0],
    ["left-us", "staff", 1],
  ] as const) {
    const { id } = await db
      .insertInto("staff_user")
      .values({ login, display_name: login, password_hash: "scrypt$x", role, active })
      .returning("id")
      .executeTakeFirstOrThrow();
    staff.push(id);
  }
  // AUTOINCREMENT must not hand this id out again after the rebuild.
  await db.deleteFrom("staff_user").where("login", "=", "left-us").execute();
  const [admin, reviewer] = staff as [number, number];

  const { id: roomId } = await db
    .insertInto("health_room")
    .values({ name: "中央保健室", area: "中央", address: "架空市1-1" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { id: cohortId } = await db
    .insertInto("cohort")
    .values({ name: "2026年度前期", starts_on: "2026-04-01", ends_on: "2026-09-30" })
    .returning("id")
    .executeTakeFirstOrThrow();

  const participants: number[] = [];
  for (const [penName, ageBand] of [
    ["あおい", "teens"],
    ["みどり", "20s"],
    ["そら", "70plus"],
    ["うみ", "unspecified"],
  ] as const) {
    const { id } = await db
      .insertInto("participant")
      .values({
        cohort_id: cohortId,
        real_name: `架空 ${penName}`,
        pen_name: penName,
        age_band: ageBand,
        referral_type: participants.length > 0 ? "participant" : "staff",
        // Each one brought by the one before: references inside the rebuilt table itself.
        referred_by_participant_id: participants.at(-1) ?? null,
        consent_reading_on: "2026-04-01",
        access_code_selector: `sel-${penName}`,
        access_code_hash: "scrypt$y",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    participants.push(id);
  }
  const [p1, p2, p3, p4] = participants as [number, number, number, number];

  const { id: groupId } = await db
    .insertInto("diary_group")
    .values({ cohort_id: cohortId, name: "ひだまり", health_room_id: roomId, status: "active" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("group_member")
    .values([
      { group_id: groupId, participant_id: p1, position: 1, joined_on: "2026-04-01" },
      { group_id: groupId, participant_id: p2, position: 2, joined_on: "2026-04-01" },
      {
        group_id: groupId,
        participant_id: p4,
        position: 3,
        joined_on: "2026-04-01",
        left_on: "2026-05-01",
        left_reason: "転居",
      },
      { group_id: groupId, participant_id: p3, position: 3, joined_on: "2026-05-01" },
    ])
    .execute();
  const { id: notebookId } = await db
    .insertInto("notebook")
    .values({ group_id: groupId, label: "ひだまり 1冊目" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const handoff = { notebook_id: notebookId, health_room_id: roomId, recorded_by_staff_id: admin };
  await db
    .insertInto("handoff")
    .values([
      { ...handoff, from_participant_id: null, to_participant_id: p1, handed_at: at(1) },
      { ...handoff, from_participant_id: p1, to_participant_id: p2, handed_at: at(2) },
      { ...handoff, from_participant_id: p2, to_participant_id: null, handed_at: at(3) },
    ])
    .execute();

  // Both kinds of session are ON DELETE CASCADE children of rebuilt tables.
  const session = { created_at: at(1), last_seen_at: at(2), expires_at: "2026-12-20T00:00:00Z" };
  await db
    .insertInto("session")
    .values([
      { ...session, id: "s-staff", kind: "staff", staff_user_id: reviewer },
      { ...session, id: "s-participant", kind: "participant", participant_id: p2 },
    ])
    .execute();
  await db
    .insertInto("login_attempt")
    .values([
      { scope: "account", key: "tanaka", attempted_at: at(1) },
      { scope: "address", key: "203.0.113.9", attempted_at: at(1) },
      { scope: "code", key: "203.0.113.9", attempted_at: at(2) },
    ])
    .execute();
  await db
    .insertInto("audit_log")
    .values({
      actor_type: "staff",
      actor_staff_id: admin,
      action: "page.upload",
      entity_type: "page",
    })
    .execute();

  const pages: number[] = [];
  for (const [n, status, hidden] of [
    [1, "approved", 0],
    [2, "needs_review", 1],
    [3, "queued", 0],
  ] as const) {
    const { id } = await db
      .insertInto("page")
      .values({
        group_id: groupId,
        notebook_id: notebookId,
        page_number: n,
        author_participant_id: participants[n - 1],
        status,
        hidden,
        layout: status === "queued" ? null : "vertical",
        image_sha256: `sha-${n}`,
        original_path: `originals/${n}.jpg`,
        viewing_path: `viewing/${n}.webp`,
        thumb_path: `thumbs/${n}.webp`,
        width: 1200,
        height: 1600,
        uploaded_by_staff_id: admin,
        uploaded_on: "2026-11-20",
        approved_version: status === "approved" ? 2 : null,
        approved_by_staff_id: status === "approved" ? reviewer : null,
        review_staff_id: status === "needs_review" ? reviewer : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    pages.push(id);
  }
  const [page1, page2, page3] = pages as [number, number, number];

  const job = async (pageId: number, state: "failed" | "done" | "queued", attempts: number) =>
    (
      await db
        .insertInto("ocr_job")
        .values({ page_id: pageId, state, attempts })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  await job(page1, "failed", 3);
  const job1 = await job(page1, "done", 1);
  const job2 = await job(page2, "done", 2);
  await job(page3, "queued", 0);

  await db
    .insertInto("transcription")
    .values([
      {
        page_id: page1,
        version: 1,
        source: "ocr",
        text: "きょうは雨",
        layout: "vertical",
        confidence: 81.5,
        ocr_job_id: job1,
      },
      {
        page_id: page1,
        version: 2,
        source: "staff",
        text: "今日は雨",
        layout: null,
        created_by_staff_id: reviewer,
      },
      {
        page_id: page2,
        version: 1,
        source: "ocr",
        text: "もう限界かも",
        layout: "horizontal",
        confidence: 64,
        ocr_job_id: job2,
      },
    ])
    .execute();

  const { id: phraseId } = await db
    .selectFrom("concern_phrase")
    .select("id")
    .where("phrase", "=", "もう限界")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("concern_phrase")
    .values({ phrase: "つかれた", variants: "[]", active: 0, updated_by_staff_id: admin })
    .execute();
  // One insert each: in a multi-row insert SQLite fills a column missing from one row with null.
  for (const flag of [
    {
      page_id: page2,
      source: "phrase" as const,
      concern_phrase_id: phraseId,
      matched_text: "もう限界",
      transcription_version: 1,
    },
    {
      page_id: page1,
      source: "manual" as const,
      reason: "気になる表現",
      status: "acknowledged" as const,
      raised_by_staff_id: reviewer,
      acknowledged_by_staff_id: admin,
      acknowledged_at: at(4),
    },
  ])
    await db.insertInto("watch_flag").values(flag).execute();

  return { admin, reviewer, participants, groupId, pages: { page1, page2, page3 } };
}

async function userTables(db: DB): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from sqlite_master
    where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'
    order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Every row of every table, in rowid order, and the AUTOINCREMENT counters. */
async function contents(db: DB): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of await userTables(db)) {
    const { rows } = await sql`select * from ${sql.table(table)} order by rowid`.execute(db);
    all[table] = rows;
  }
  // A rebuilt table's counter moves to the end of sqlite_sequence: compare them by name.
  const { rows } = await sql`select name, seq from sqlite_sequence order by name`.execute(db);
  all.sqlite_sequence = rows;
  return all;
}

/** The schema as SQLite stores it: tables, indexes and triggers with their SQL text. */
async function schema(db: DB) {
  const { rows } = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
    select type, name, tbl_name, sql from sqlite_master order by name`.execute(db);
  return rows;
}

async function pragma(db: DB, name: string): Promise<Record<string, unknown>[]> {
  return (await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db)).rows;
}

async function count(db: DB, table: keyof Database): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** The station's page list (`listStationPages`), asked how SQLite would run it. */
async function stationPlan(db: DB, groupId: number): Promise<string[]> {
  const query = db
    .selectFrom("page as p")
    .select((eb) => [
      "p.id",
      "p.page_number",
      "p.status",
      eb
        .selectFrom("ocr_job as j")
        .select("j.attempts")
        .whereRef("j.page_id", "=", "p.id")
        .orderBy("j.id", "desc")
        .limit(1)
        .as("attempts"),
    ])
    .where("p.group_id", "=", groupId)
    .orderBy("p.page_number", "desc")
    .limit(200)
    .compile();
  const { rows } = await db.executeQuery<{ detail: string }>({
    ...query,
    sql: `explain query plan ${query.sql}`,
  });
  return rows.map((r) => r.detail);
}

describe("the CHECK migration", () => {
  it("keeps every row of the rebuilt tables and of the tables that point at them", async () => {
    const db = await databaseBeforeChecks();
    const { pages, participants } = await seed(db);
    const before = await contents(db);

    const { error, results } = await runChecks(db);
    expect(error).toBeUndefined();
    expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[OURS, "Success"]]);

    // Every value of every row, and the AUTOINCREMENT counters, are as they were.
    expect(await contents(db)).toEqual(before);
    // Spelled out for the children that ON DELETE CASCADE would have taken with their parents.
    expect(await count(db, "ocr_job")).toBe(4);
    expect(await count(db, "transcription")).toBe(3);
    expect(await count(db, "watch_flag")).toBe(2);
    expect(await count(db, "session")).toBe(2);
    expect(await count(db, "group_member")).toBe(4);
    expect(await count(db, "handoff")).toBe(3);
    expect(await count(db, "participant")).toBe(4);
    expect(await count(db, "staff_user")).toBe(3);
    expect(await count(db, "concern_phrase")).toBe(21);
    expect(
      await db
        .selectFrom("transcription")
        .select(["page_id", "version", "text", "layout"])
        .orderBy("id")
        .execute(),
    ).toEqual([
      { page_id: pages.page1, version: 1, text: "きょうは雨", layout: "vertical" },
      { page_id: pages.page1, version: 2, text: "今日は雨", layout: null },
      { page_id: pages.page2, version: 1, text: "もう限界かも", layout: "horizontal" },
    ]);
    expect(
      await db
        .selectFrom("participant")
        .select(["age_band", "referred_by_participant_id"])
        .orderBy("id")
        .execute(),
    ).toEqual([
      { age_band: "teens", referred_by_participant_id: null },
      { age_band: "20s", referred_by_participant_id: participants[0] },
      { age_band: "70plus", referred_by_participant_id: participants[1] },
      { age_band: "unspecified", referred_by_participant_id: participants[2] },
    ]);
  });

  it("leaves a sound database with foreign keys enforced again", async () => {
    const db = await databaseBeforeChecks();
    await seed(db);
    await applyChecks(db);

    expect(await pragma(db, "integrity_check")).toEqual([{ integrity_check: "ok" }]);
    expect(await pragma(db, "foreign_key_check")).toEqual([]);
    expect(await pragma(db, "foreign_keys")).toEqual([{ foreign_keys: 1 }]);
  });

  it("keeps every index and adds the one the station's page list needs", async () => {
    const db = await databaseBeforeChecks();
    const { groupId } = await seed(db);
    const indexesBefore = (await schema(db)).filter((o) => o.type === "index");
    expect(await stationPlan(db, groupId)).toContain("SCAN j");

    await applyChecks(db);

    const indexesAfter = (await schema(db)).filter((o) => o.type === "index");
    expect(indexesAfter).toEqual(expect.arrayContaining(indexesBefore));
    expect(indexesAfter.map((i) => i.name).sort()).toEqual(
      [...indexesBefore.map((i) => i.name), "ocr_job_page_idx"].sort(),
    );
    expect(await stationPlan(db, groupId)).toContain(
      "SEARCH j USING INDEX ocr_job_page_idx (page_id=?)",
    );
  });

  it("leaves references working: cascades still run and dangling ids are refused", async () => {
    const db = await databaseBeforeChecks();
    const { pages } = await seed(db);
    await applyChecks(db);

    // The children point at the rebuilt `page`, not at a dropped table of the same name: deleting
    // a page takes its job, transcription and flag with it, as before.
    await db.deleteFrom("page").where("id", "=", pages.page2).execute();
    expect(await count(db, "ocr_job")).toBe(3);
    expect(await count(db, "transcription")).toBe(2);
    expect(await count(db, "watch_flag")).toBe(1);
    await expect(
      db
        .insertInto("transcription")
        .values({ page_id: 9999, version: 1, source: "staff", text: "x" })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await expect(
      db
        .insertInto("session")
        .values({
          id: "s-ghost",
          kind: "participant",
          participant_id: 9999,
          created_at: at(1),
          last_seen_at: at(1),
          expires_at: at(2),
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);

    // A deleted staff member's id is not handed out again.
    const { id } = await db
      .insertInto("staff_user")
      .values({ login: "new", display_name: "new", password_hash: "scrypt$z", role: "staff" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(id).toBe(5);
  });

  it("refuses the values the columns do not allow", async () => {
    const db = await databaseBeforeChecks();
    const { pages, participants, admin } = await seed(db);
    await applyChecks(db);

    await expect(
      db
        .updateTable("participant")
        .set({ age_band: "x" })
        .where("id", "=", participants[0]!)
        .execute(),
    ).rejects.toThrow(/CHECK constraint failed: participant_age_band_ck/);
    await expect(
      db
        .insertInto("participant")
        .values({
          cohort_id: 1,
          real_name: "架空",
          pen_name: "x",
          age_band: "x",
          referral_type: "none",
        })
        .execute(),
    ).rejects.toThrow(/CHECK constraint failed: participant_age_band_ck/);
    await expect(
      db.updateTable("page").set({ hidden: 2 }).where("id", "=", pages.page1).execute(),
    ).rejects.toThrow(/CHECK constraint failed: page_hidden_ck/);
    await expect(
      db
        .insertInto("login_attempt")
        .values({ scope: "foo" as "code", key: "k", attempted_at: at(1) })
        .execute(),
    ).rejects.toThrow(/CHECK constraint failed: login_attempt_scope_ck/);
    await expect(
      db
        .updateTable("transcription")
        .set({ layout: "diagonal" as "vertical" })
        .where("page_id", "=", pages.page1)
        .execute(),
    ).rejects.toThrow(/CHECK constraint failed: transcription_layout_ck/);
    await expect(
      db.updateTable("staff_user").set({ active: 2 }).where("id", "=", admin).execute(),
    ).rejects.toThrow(/CHECK constraint failed: staff_user_active_ck/);
    await expect(db.updateTable("concern_phrase").set({ active: -1 }).execute()).rejects.toThrow(
      /CHECK constraint failed: concern_phrase_active_ck/,
    );

    // The values the app writes still go in.
    await db.updateTable("page").set({ hidden: 1 }).where("id", "=", pages.page1).execute();
    await db.updateTable("transcription").set({ layout: null }).execute();
    await db.updateTable("concern_phrase").set({ active: 0 }).execute();
    for (const ageBand of ["teens", "30s", "40s", "50s", "60s"])
      await db
        .updateTable("participant")
        .set({ age_band: ageBand })
        .where("id", "=", participants[0]!)
        .execute();
  });

  it("refuses to run, and changes nothing, when existing rows break a check", async () => {
    const db = await databaseBeforeChecks();
    const { participants } = await seed(db);
    await db
      .updateTable("participant")
      .set({ age_band: "unknown" })
      .where("id", "=", participants[2]!)
      .execute();
    await db
      .updateTable("concern_phrase")
      .set({ active: 2 })
      .where("phrase", "=", "自殺")
      .execute();
    const [rowsBefore, schemaBefore] = [await contents(db), await schema(db)];

    const { error, results } = await runChecks(db);
    expect(results?.map((r) => [r.migrationName, r.status])).toEqual([[OURS, "Error"]]);
    expect(String(error)).toMatch(
      new RegExp(`participant\\.age_band: 1 row\\(s\\) .*id ${participants[2]} \\("unknown"\\)`),
    );
    expect(String(error)).toMatch(/concern_phrase\.active: 1 row\(s\)/);

    expect(await schema(db)).toEqual(schemaBefore);
    expect(await contents(db)).toEqual(rowsBefore);
    expect(await pragma(db, "foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    const { rows: done } = await sql<{ name: string }>`select name from kysely_migration`.execute(
      db,
    );
    expect(done.map((r) => r.name)).not.toContain(OURS);
  });

  it("rolls back the rebuilt tables when foreign_key_check finds a broken reference", async () => {
    const db = await databaseBeforeChecks();
    await seed(db);
    await sql`pragma foreign_keys = off`.execute(db);
    await db
      .insertInto("watch_flag")
      .values({ page_id: 9999, source: "manual", reason: "ページが無い" })
      .execute();
    await sql`pragma foreign_keys = on`.execute(db);
    const [rowsBefore, schemaBefore] = [await contents(db), await schema(db)];

    const { error } = await runChecks(db);
    expect(String(error)).toMatch(/foreign_key_check found 1 broken reference.*watch_flag/);

    // The six tables had been rebuilt inside the transaction; all of it is undone.
    expect(await schema(db)).toEqual(schemaBefore);
    expect(await contents(db)).toEqual(rowsBefore);
    expect(await pragma(db, "foreign_keys")).toEqual([{ foreign_keys: 1 }]);
  });

  it("refuses to run inside a transaction, where foreign keys cannot be turned off", async () => {
    const db = await databaseBeforeChecks();
    await seed(db);
    const before = await contents(db);
    const ours = migrations[OURS]!;

    await expect(db.transaction().execute((trx) => ours.up(trx))).rejects.toThrow(
      /foreign_keys = OFF had no effect/,
    );
    expect(await contents(db)).toEqual(before);
  });

  it("goes down to the schema it started from, and up again, keeping the data", async () => {
    const db = await databaseBeforeChecks();
    await seed(db);
    const [rowsBefore, schemaBefore] = [await contents(db), await schema(db)];
    const migrator = migratorUpTo(db, OURS);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const schemaWithChecks = await schema(db);

    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([
      [OURS, "Down", "Success"],
    ]);
    // Byte for byte the CREATE statements it started from, and every row.
    expect(await schema(db)).toEqual(schemaBefore);
    expect(await contents(db)).toEqual(rowsBefore);
    expect(await pragma(db, "foreign_key_check")).toEqual([]);
    expect(await pragma(db, "foreign_keys")).toEqual([{ foreign_keys: 1 }]);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await schema(db)).toEqual(schemaWithChecks);
    expect(await contents(db)).toEqual(rowsBefore);
    for (const table of REBUILT)
      expect(schemaWithChecks.find((o) => o.name === table)?.sql).toMatch(
        new RegExp(`constraint "${table}_\\w+_ck" check`),
      );
  });
});
