import type { Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * Indexes for the admin audit view's filters (who, what, which record, when) on a large log.
 * The view lists newest first by `at, id`: each index has its filter column first and `at`
 * second (`id` is the rowid that ends every entry), so one index gives a filter's rows already
 * in order and a page reads 50 entries, not every match. A record type alone (every page) and
 * a record (page 123) have an index each. The record index replaces
 * `audit_log_entity_idx` (entity_type, entity_id), which it extends. Measured with a log of a
 * million rows (decision 024).
 */
const INDEXES = [
  ["audit_log_actor_type_at_idx", ["actor_type", "at"]],
  ["audit_log_staff_at_idx", ["actor_staff_id", "at"]],
  ["audit_log_participant_at_idx", ["actor_participant_id", "at"]],
  ["audit_log_action_at_idx", ["action", "at"]],
  ["audit_log_entity_type_at_idx", ["entity_type", "at"]],
  ["audit_log_entity_at_idx", ["entity_type", "entity_id", "at"]],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of INDEXES)
    await db.schema
      .createIndex(name)
      .on("audit_log")
      .columns([...columns])
      .execute();
  await db.schema.dropIndex("audit_log_entity_idx").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("audit_log_entity_idx")
    .on("audit_log")
    .columns(["entity_type", "entity_id"])
    .execute();
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
