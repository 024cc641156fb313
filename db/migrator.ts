import { Migrator, PostgresAdapter, sql, type Kysely } from "kysely";
import { migrations } from "./migrations/index";

/** Runs every pending migration; throws (and leaves the database as it was) on failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await expectCodePointOrder(db);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Text must sort by code point, as on SQLite: ISO times compare as strings, and lists sorted by
 * name must not change order when an installation moves. A database made with a language's
 * collation is refused before anything is written.
 */
async function expectCodePointOrder(db: Kysely<any>) {
  const { rows } = await sql<{ collation: string }>`
    select datcollate as collation from pg_database where datname = current_database()`.execute(db);
  const collation = rows[0]?.collation ?? "";
  if (!/^(C|POSIX|C\.UTF-?8)$/i.test(collation))
    throw new Error(
      `The PostgreSQL database sorts text by "${collation}"; this app needs the C collation. ` +
        "Create it with: createdb -T template0 --locale=C -E UTF8 <name>",
    );
}
