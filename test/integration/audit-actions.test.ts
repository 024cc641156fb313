/**
 * One naming style for audit actions (`<entity>.<verb>`): the migration renames what older code
 * wrote, and only the names, and the app's own operations write the names of AUDIT_ACTIONS.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Migrator, type Kysely } from "kysely";
import sharp from "sharp";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import type { Database } from "../../db/schema";
import { approvePage, claimNextJob, completeOcr } from "~/models/page-lifecycle.server";
import { addPage } from "~/models/pages.server";
import { authenticateStaff } from "~/models/staff.server";
import { getEditBase } from "~/models/transcriptions.server";
import { isAuditAction } from "~/utils/audit-actions";
import { getDb, openDatabase } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { TMP_DIR } from "../helpers/paths";

const OURS = "2026_12_02_1800_rename_audit_actions";

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

async function databaseBeforeRename(): Promise<DB> {
  const file = path.join(TMP_DIR, `audit-actions-${crypto.randomUUID()}.db`);
  const db = openDatabase(file);
  opened.push({ db, file });
  const { error } = await migratorUpTo(db, previous).migrateToLatest();
  if (error) throw error;
  return db;
}

/** What the app wrote before the rename, [entity_type, action, expected action after it]. */
const OLD_ROWS: Array<[string, string, string]> = [
  ["page", "create", "page.create"],
  ["page", "rotate", "page.rotate"],
  ["page", "layout", "page.layout"],
  ["page", "ocr_rerun", "page.ocr_rerun"],
  ["page", "reorder", "page.reorder"],
  ["page", "delete", "page.delete"],
  ["concern_phrase", "create", "concern_phrase.create"],
  ["concern_phrase", "update", "concern_phrase.update"],
  ["diary_group", "create", "group.create"],
  ["diary_group", "update", "group.update"],
  ["diary_group", "status", "group.status_change"],
  ["diary_group", "member_add", "group.member_add"],
  ["diary_group", "member_replace", "group.member_replace"],
  ["diary_group", "member_remove", "group.member_remove"],
  ["handoff", "create", "handoff.record"],
  ["cohort", "create", "cohort.create"],
  ["cohort", "update", "cohort.update"],
  ["health_room", "create", "health_room.create"],
  ["health_room", "update", "health_room.update"],
  ["participant", "create", "participant.create"],
  ["participant", "update", "participant.update"],
  ["participant", "withdraw", "participant.withdraw"],
  ["participant", "access_code_issue", "participant.access_code_issue"],
  ["participant", "access_code_rotate", "participant.access_code_rotate"],
  ["participant", "login", "participant.login"],
  ["participant", "login_failed", "participant.login_failed"],
  ["participant", "login_throttled", "participant.login_throttled"],
  ["staff_user", "create", "staff.create"],
  ["staff_user", "update", "staff.update"],
  ["staff_user", "activate", "staff.activate"],
  ["staff_user", "deactivate", "staff.deactivate"],
  ["staff_user", "password_reset", "staff.password_reset"],
  ["staff_user", "login", "staff.login"],
  ["staff_user", "login_failed", "staff.login_failed"],
  ["staff_user", "login_throttled", "staff.login_throttled"],
  // Already in the new style: kept as they are.
  ["page", "page.approve", "page.approve"],
  ["page", "page.reopen", "page.reopen"],
  ["page", "page.details", "page.details"],
  ["page", "transcription.save", "transcription.save"],
  ["page", "transcription.restore", "transcription.restore"],
  ["page", "watch_flag.open", "watch_flag.open"],
  ["page", "watch_flag.raise", "watch_flag.raise"],
  ["page", "watch_flag.acknowledge", "watch_flag.acknowledge"],
];

/** Names the app never wrote with that entity type: history is not guessed at, they stay. */
const UNKNOWN_ROWS: Array<[string, string]> = [
  ["notebook", "create"],
  ["page", "page.upload"],
];

async function allRows(db: DB) {
  return db.selectFrom("audit_log").selectAll().orderBy("id").execute();
}

describe("the audit action rename migration", () => {
  it("renames every old action by its entity type and changes nothing else", async () => {
    const db = await databaseBeforeRename();
    const { id: staffId } = await db
      .insertInto("staff_user")
      .values({ login: "tanaka", display_name: "田中", password_hash: "scrypt$x", role: "admin" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const rows = [...OLD_ROWS.map(([e, a]) => [e, a] as const), ...UNKNOWN_ROWS];
    for (const [i, [entityType, action]] of rows.entries()) {
      await db
        .insertInto("audit_log")
        .values({
          at: `2026-11-2${i % 10}T0${i % 10}:00:00.000Z`,
          actor_type: i % 2 ? "staff" : "anonymous",
          actor_staff_id: i % 2 ? staffId : null,
          action,
          entity_type: entityType,
          entity_id: String(100 + i),
          detail: JSON.stringify({ n: i }),
          ip: `203.0.113.${i}`,
        })
        .execute();
    }
    const before = await allRows(db);

    const { error } = await migratorUpTo(db, OURS).migrateToLatest();
    expect(error).toBeUndefined();
    const after = await allRows(db);

    expect(after).toHaveLength(before.length);
    const expected = [
      ...OLD_ROWS.map(([, , renamed]) => renamed),
      ...UNKNOWN_ROWS.map(([, a]) => a),
    ];
    expect(after.map((r) => r.action)).toEqual(expected);
    for (const [i, row] of after.entries()) {
      expect({ ...row, action: before[i]!.action }).toEqual(before[i]);
    }
    for (const [, , renamed] of OLD_ROWS) expect(isAuditAction(renamed), renamed).toBe(true);

    // Down gives back exactly the rows that were there.
    const { error: downError } = await migratorUpTo(db, OURS).migrateTo(previous);
    expect(downError).toBeUndefined();
    expect(await allRows(db)).toEqual(before);
  });
});

describe("the app's own operations", () => {
  /** The actions written about one record since `sinceId`, oldest first. */
  async function actionsFor(entityType: string, entityId: number, sinceId: number) {
    const rows = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", entityType)
      .where("entity_id", "=", String(entityId))
      .where("id", ">", sinceId)
      .orderBy("id")
      .execute();
    return rows.map((r) => r.action);
  }

  async function lastAuditId() {
    const row = await getDb()
      .selectFrom("audit_log")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  it("write the new names for a login, a failed login, an upload and an approval", async () => {
    const staff = await makeStaff();
    const { groupId } = await makeActiveGroup();
    const since = await lastAuditId();

    expect((await authenticateStaff(staff.login, "wrong-password", "203.0.113.7")).status).toBe(
      "invalid",
    );
    expect((await authenticateStaff(staff.login, staff.password, "203.0.113.7")).status).toBe("ok");
    expect(await actionsFor("staff_user", staff.id, since)).toEqual([
      "staff.login_failed",
      "staff.login",
    ]);

    const photo = await sharp({
      create: { width: 600, height: 800, channels: 3, background: { r: 250, g: 248, b: 240 } },
    })
      .composite([
        {
          input: Buffer.from(
            `<svg width="600" height="800"><rect x="77" y="123" width="300" height="8"/></svg>`,
          ),
        },
      ])
      .jpeg()
      .toBuffer();
    const added = await addPage(groupId, photo, { actor: staff.actor });
    expect(added.status).toBe("added");
    const pageId = added.pageId;

    // OCR finishes (as the runner would), then the reviewer approves the draft.
    await getDb()
      .updateTable("ocr_job")
      .set({ state: "cancelled" })
      .where("state", "=", "queued")
      .where("page_id", "!=", pageId)
      .execute();
    const job = await claimNextJob(getDb(), "audit-test", 60_000);
    expect(job?.page_id).toBe(pageId);
    await completeOcr(
      getDb(),
      { id: job!.id, pageId, owner: "audit-test" },
      {
        text: "きょうは晴れ",
        lines: [{ text: "きょうは晴れ", confidence: 90, bbox: null, unsure: [] }],
        confidence: 90,
        layout: "horizontal",
        timings: {},
      },
      null,
    );
    await approvePage(pageId, await getEditBase(pageId), null, { actor: staff.actor });

    expect(await actionsFor("page", pageId, since)).toEqual(["page.create", "page.approve"]);
  });
});
