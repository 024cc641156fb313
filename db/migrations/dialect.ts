import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";

// Frozen in time like the migrations that use it: never import application code here.

/**
 * The one place the migrations differ between SQLite and PostgreSQL (issue 16). Everything else
 * is Kysely's schema builder, whose `autoIncrement()` and `real` the app's PostgreSQL compiler
 * reads as SQLite does (app/utils/db.server.ts).
 */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * The current time as the app writes it everywhere (ISO 8601 in UTC with milliseconds, like
 * `new Date().toISOString()`), for column defaults. Text on both, so that comparing and sorting
 * times is the same string comparison on both.
 */
export function nowText(db: Kysely<any>): RawBuilder<string> {
  return isPostgres(db)
    ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
    : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
}
