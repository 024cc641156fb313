import { sql, type Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * Indexes found by `npm run bench:web` (300 groups, 50 000 pages, 20 users; see
 * docs/benchmarks.md and decision 023):
 *
 * - `page_group_diary_idx`: a group's diary (/g/:groupId) lists its approved pages newest first
 *   by `coalesce(entry_date, uploaded_on)` and page number. With this index SQLite walks one
 *   group's approved pages already in that order and stops after the page it shows, instead of
 *   joining every approved page of the group to its transcription and sorting them all.
 * - `handoff_handed_at_idx`: the dashboard's latest handoffs (all notebooks, newest first)
 *   read the first ten entries instead of sorting every handoff ever recorded.
 * - `seed_transcription_idx`: the review editor's open suggestions leave out words that carry a
 *   seed of the same transcription (a correlated NOT EXISTS), which scanned the seed table once
 *   per suggestion; the same index serves `ON DELETE SET NULL` from transcription.
 * - `group_member_group_idx`: a group's members, past and present (the two partial unique
 *   indexes cover only current members), read on the editor, the group page and custody.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // An expression index: Kysely's builder takes only columns, so this one is written out. The
  // expression must stay exactly the one listApprovedPagesForGroup orders by.
  await sql`create index page_group_diary_idx on page (group_id, status, coalesce(entry_date, uploaded_on), page_number)`.execute(
    db,
  );
  await db.schema
    .createIndex("handoff_handed_at_idx")
    .on("handoff")
    .columns(["handed_at", "id"])
    .execute();
  await db.schema
    .createIndex("seed_transcription_idx")
    .on("seed")
    .column("transcription_id")
    .execute();
  await db.schema
    .createIndex("group_member_group_idx")
    .on("group_member")
    .column("group_id")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    "group_member_group_idx",
    "seed_transcription_idx",
    "handoff_handed_at_idx",
    "page_group_diary_idx",
  ])
    await db.schema.dropIndex(name).execute();
}
