import { sql, type Kysely } from "kysely";
import { isPostgres } from "./dialect";

// Frozen in time: this file must never import application code.

/**
 * The audit log is append-only (issue 15): the database itself refuses to change or delete a
 * row, whatever code asks. A later migration that must rewrite audit rows (as
 * 2026_12_02_1800_rename_audit_actions did) drops these triggers, does its work and creates
 * them again, in the same migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`create function audit_log_refuse() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: rows cannot be %',
          case tg_op when 'UPDATE' then 'changed' else 'deleted' end;
      end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update on audit_log
      for each row execute function audit_log_refuse()`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      for each row execute function audit_log_refuse()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse()`.execute(db);
    return;
  }
  await sql`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only: rows cannot be changed'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log
    begin select raise(abort, 'audit_log is append-only: rows cannot be deleted'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop function audit_log_refuse cascade`.execute(db);
    return;
  }
  await sql`drop trigger audit_log_no_delete`.execute(db);
  await sql`drop trigger audit_log_no_update`.execute(db);
}
