import { sql, type Kysely } from "kysely";

import { nowText } from "./dialect";

// Frozen in time: this file must never import application code.

const CATEGORIES = sql`('place', 'activity', 'event', 'person_skill', 'need', 'idea', 'shop', 'nature', 'other')`;

/**
 * Seeds of social prescribing (タネ) tagged in approved transcriptions, the staff decisions on
 * them (kept so that the last one can be undone), open suggestions, and the minimal community
 * resource they feed (the resource issue extends it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema
    .createTable("resource")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("aliases_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("category", "text", (c) => c.notNull().check(sql`category in ${CATEGORIES}`))
    .addColumn("tags_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("area", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("visibility", "text", (c) =>
      c
        .notNull()
        .defaultTo("staff")
        .check(sql`visibility in ('staff', 'public')`),
    )
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("to_verify")
        .check(sql`status in ('active', 'to_verify', 'inactive', 'closed')`),
    )
    .addColumn("created_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("seed")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // Null once the page was deleted on request: the quote and note go with it, the seed's
    // decision (and the resource it fed) stay as provenance 「削除されたページ」.
    .addColumn("page_id", "integer", (c) => c.references("page.id").onDelete("set null"))
    .addColumn("transcription_id", "integer", (c) =>
      c.references("transcription.id").onDelete("set null"),
    )
    .addColumn("transcription_version", "integer")
    // Unicode code points into the version's (NFC) text; the quote is that exact slice.
    .addColumn("start_cp", "integer", (c) => c.notNull().check(sql`start_cp >= 0`))
    .addColumn("end_cp", "integer", (c) => c.notNull())
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull().check(sql`category in ${CATEGORIES}`))
    .addColumn("tags_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("area", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("proposed")
        .check(sql`status in ('proposed', 'accepted', 'merged', 'rejected')`),
    )
    // 要確認: re-anchoring after an edit failed, or the author withdrew consent.
    .addColumn("needs_check", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`needs_check in (0, 1)`),
    )
    .addColumn("needs_check_reason", "text")
    .addColumn("resource_id", "integer", (c) => c.references("resource.id"))
    .addColumn("reject_reason", "text", (c) =>
      c.check(sql`reject_reason in ('identifiable', 'exists', 'out_of_area', 'other')`),
    )
    .addColumn("reject_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) =>
      c
        .notNull()
        .defaultTo("staff")
        .check(sql`source in ('staff', 'autolink', 'discovery')`),
    )
    .addColumn("proposed_by_staff_id", "integer", (c) => c.notNull().references("staff_user.id"))
    .addColumn("proposed_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("decided_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("decided_at", "text")
    .addColumn("page_deleted_at", "text")
    .addCheckConstraint("seed_span_ck", sql`end_cp > start_cp`)
    .execute();
  await db.schema
    .createIndex("seed_status_idx")
    .on("seed")
    .columns(["status", "proposed_at"])
    .execute();
  await db.schema.createIndex("seed_page_idx").on("seed").column("page_id").execute();
  await db.schema.createIndex("seed_resource_idx").on("seed").column("resource_id").execute();

  // Each decision, with the seed as it was before, so that the last one can be undone.
  await db.schema
    .createTable("seed_decision")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("seed_id", "integer", (c) => c.notNull().references("seed.id").onDelete("cascade"))
    .addColumn("decision", "text", (c) =>
      c.notNull().check(sql`decision in ('accept', 'merge', 'reject')`),
    )
    .addColumn("before_json", "text", (c) => c.notNull())
    .addColumn("created_resource_id", "integer", (c) => c.references("resource.id"))
    .addColumn("decided_by_staff_id", "integer", (c) => c.notNull().references("staff_user.id"))
    .addColumn("decided_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("undone_at", "text")
    .execute();
  await db.schema
    .createIndex("seed_decision_staff_idx")
    .on("seed_decision")
    .columns(["decided_by_staff_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("seed_decision").execute();
  await db.schema.dropTable("seed").execute();
  await db.schema.dropTable("resource").execute();
}
