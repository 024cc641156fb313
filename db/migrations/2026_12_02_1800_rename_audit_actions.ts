import { sql, type Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * Audit actions were written in three styles: bare verbs that only meant something with the
 * row's `entity_type` (`create` on a page, a cohort, a handoff…), snake_case (`login_failed`) and
 * dotted (`page.approve`). From now on every action is `<entity>.<verb>` (AUDIT_ACTIONS in
 * app/utils/audit-actions.ts). The log is append-only history: only `action` changes; who, when,
 * the entity and the detail stay as they were. The dotted names already in that style
 * (`page.approve`, `transcription.save`, `watch_flag.open`…) are kept, so they are not listed.
 * Each new name comes from exactly one (entity type, old name) pair, so `down` is exact.
 */

/** [entity_type, old action, new action] for every action the app had written. */
const RENAMES: ReadonlyArray<readonly [string, string, string]> = [
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
];

/** All renames or none: SQLite migrations run outside a transaction, so this takes its own. */
async function rename(db: Kysely<any>, direction: "up" | "down"): Promise<void> {
  const run = async (trx: Kysely<any>) => {
    for (const [entityType, oldName, newName] of RENAMES) {
      const [from, to] = direction === "up" ? [oldName, newName] : [newName, oldName];
      await sql`update audit_log set action = ${to}
                 where action = ${from} and entity_type = ${entityType}`.execute(trx);
    }
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

export async function up(db: Kysely<any>): Promise<void> {
  await rename(db, "up");
}

export async function down(db: Kysely<any>): Promise<void> {
  await rename(db, "down");
}
