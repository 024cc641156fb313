import type { Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * Participants' rights (issue 15, decision 025/026).
 *
 * `pages_hidden_at`: 利用停止 — since when none of the participant's pages is shown to their
 * group (null: shown as the page rules allow). One participant-level state rather than a flag per
 * page, so that pages added later are covered too and undoing it leaves the writer's own hide
 * requests as they were.
 *
 * `deleted_at`: 消去 — the participant was deleted on request. The row stays as an empty
 * placeholder (「削除された参加者」, every personal field emptied) so that group memberships,
 * custody records and referrals of other people still point somewhere.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("participant").addColumn("pages_hidden_at", "text").execute();
  await db.schema.alterTable("participant").addColumn("deleted_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("participant").dropColumn("deleted_at").execute();
  await db.schema.alterTable("participant").dropColumn("pages_hidden_at").execute();
}
