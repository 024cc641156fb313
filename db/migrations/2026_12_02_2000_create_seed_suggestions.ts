import { sql, type Kysely } from "kysely";

import { nowText } from "./dialect";

// Frozen in time: this file must never import application code.

const CATEGORIES = sql`('place', 'activity', 'event', 'person_skill', 'need', 'idea', 'shop', 'nature', 'other')`;

/**
 * Candidate seeds the app proposes when a page is approved (autolink and discovery), until staff
 * take one as a seed or dismiss it; and, per approved transcription, the mark that suggestions
 * were made for it (so that "none found" is not mistaken for "not yet looked").
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema
    .createTable("seed_suggestion_run")
    .addColumn("transcription_id", "integer", (c) =>
      c.primaryKey().references("transcription.id").onDelete("cascade"),
    )
    .addColumn("page_id", "integer", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("found", "integer", (c) => c.notNull().check(sql`found >= 0`))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("seed_suggestion")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("page_id", "integer", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("transcription_id", "integer", (c) =>
      c.notNull().references("transcription.id").onDelete("cascade"),
    )
    // Unicode code points into the transcription's (NFC) text; the quote is that exact slice.
    .addColumn("start_cp", "integer", (c) => c.notNull().check(sql`start_cp >= 0`))
    .addColumn("end_cp", "integer", (c) => c.notNull())
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull().check(sql`category in ${CATEGORIES}`))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('autolink', 'discovery')`))
    // An autolinked name of a known resource.
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("set null"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'taken', 'dismissed')`),
    )
    .addColumn("seed_id", "integer", (c) => c.references("seed.id").onDelete("set null"))
    .addColumn("decided_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("decided_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addCheckConstraint("seed_suggestion_span_ck", sql`end_cp > start_cp`)
    .execute();
  await db.schema
    .createIndex("seed_suggestion_page_idx")
    .on("seed_suggestion")
    .columns(["page_id", "status"])
    .execute();
  await db.schema
    .createIndex("seed_suggestion_span_uq")
    .on("seed_suggestion")
    .columns(["transcription_id", "start_cp", "end_cp"])
    .unique()
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("seed_suggestion").execute();
  await db.schema.dropTable("seed_suggestion_run").execute();
}
