import { sql, type Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * Login throttling counts one account (or access code) per address as well as across addresses
 * (decision 028): two more scopes. The table only holds the last day's attempts, so it is
 * dropped and created again with the new CHECK rather than rebuilt row by row; at worst a
 * throttle that was running when the app was upgraded starts afresh.
 */
const SCOPES_BEFORE = ["account", "address", "code"];
const SCOPES_AFTER = [...SCOPES_BEFORE, "account_address", "code_address"];

async function create(db: Kysely<any>, scopes: string[]) {
  await sql`drop table if exists login_attempt`.execute(db);
  // The schema builder, so that the same migration serves PostgreSQL (decision 022).
  await db.schema
    .createTable("login_attempt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .addCheckConstraint(
      "login_attempt_scope_ck",
      sql.raw(`"scope" in (${scopes.map((s) => `'${s}'`).join(", ")})`),
    )
    .execute();
  await sql`create index login_attempt_key_idx on login_attempt (scope, key, attempted_at)`.execute(
    db,
  );
  await sql`create index login_attempt_at_idx on login_attempt (attempted_at)`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await create(db, SCOPES_AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  await create(db, SCOPES_BEFORE);
}
