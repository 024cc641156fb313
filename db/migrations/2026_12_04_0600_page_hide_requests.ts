import { sql, type Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * A participant may ask for one of their own pages to be hidden from their group (issue 14).
 * `hidden` (exists) takes effect at once; these columns say who asked and when, when it was
 * hidden, and when staff saw the request (null: still on the dashboard). Showing the page again
 * is a staff action; it clears `hidden` and the request columns (the audit log keeps both).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("page").addColumn("hidden_at", "text").execute();
  await db.schema
    .alterTable("page")
    .addColumn("hide_requested_by_participant_id", "integer", (c) =>
      c.references("participant.id").onDelete("set null"),
    )
    .execute();
  await db.schema.alterTable("page").addColumn("hide_requested_at", "text").execute();
  await db.schema.alterTable("page").addColumn("hide_seen_at", "text").execute();
  await db.schema
    .createIndex("page_hide_request_open")
    .on("page")
    .column("hide_requested_at")
    .where(sql.ref("hide_seen_at"), "is", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("page_hide_request_open").execute();
  for (const column of [
    "hide_seen_at",
    "hide_requested_at",
    "hide_requested_by_participant_id",
    "hidden_at",
  ])
    await db.schema.alterTable("page").dropColumn(column).execute();
}
