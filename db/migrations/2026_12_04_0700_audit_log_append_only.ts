import { sql, type Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * The audit log is append-only (issue 15): the database itself refuses to change or delete a
 * row, whatever code asks. A later migration that must rewrite audit rows (as
 * 2026_12_02_1800_rename_audit_actions did) drops these triggers, does its work and creates
 * them again, in the same migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only: rows cannot be changed'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log
    begin select raise(abort, 'audit_log is append-only: rows cannot be deleted'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_log_no_delete`.execute(db);
  await sql`drop trigger audit_log_no_update`.execute(db);
}
