/**
 * Moves an installation from its SQLite file to PostgreSQL (issue 16):
 *
 *   npm run db:copy -- --from db/app.db --to postgres://kokan@db-host/kokan
 *
 * Stop the app first (the copy reads a still file). The target database must exist and be empty;
 * it is migrated to the same schema, then every table is copied row by row with its ids, parents
 * before children, in one transaction: on any error nothing is left behind. The identity counters
 * continue after the highest id, and the row counts of both sides are compared at the end.
 * Images stay where they are: point UPLOADS_DIR of every server at the same folder.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { openDatabase } from "~/utils/db.server";
import { migrateToLatest } from "./migrator";
import { migrations } from "./migrations/index";

export class CopyError extends Error {}

const BATCH = 500;
const SKIP = new Set(["kysely_migration", "kysely_migration_lock", "sqlite_sequence"]);
/** Tables the migrations themselves fill (the default 見守り phrases). */
const MIGRATION_ROWS = new Set(["concern_phrase"]);

interface TablePlan {
  name: string;
  columns: string[];
  /** Columns pointing at the same table: written after all its rows are in. */
  selfColumns: string[];
  /** An integer `id` the database numbers (an identity column on PostgreSQL). */
  numberedId: boolean;
}

/** Tables in an order where every parent comes before its children. */
function plan(source: SQLite.Database): TablePlan[] {
  const names = (
    source
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .all() as Array<{ name: string }>
  )
    .map((r) => r.name)
    .filter((n) => !SKIP.has(n));
  const parents = new Map<string, Set<string>>();
  const selfColumns = new Map<string, string[]>();
  for (const name of names) {
    const keys = source.pragma(`foreign_key_list("${name}")`) as Array<{
      table: string;
      from: string;
    }>;
    parents.set(name, new Set(keys.filter((k) => k.table !== name).map((k) => k.table)));
    selfColumns.set(
      name,
      keys.filter((k) => k.table === name).map((k) => k.from),
    );
  }
  const ordered: string[] = [];
  const visit = (name: string, trail: string[]) => {
    if (ordered.includes(name)) return;
    if (trail.includes(name))
      throw new CopyError(`foreign keys form a cycle: ${trail.join(" → ")}`);
    for (const parent of parents.get(name) ?? []) visit(parent, [...trail, name]);
    ordered.push(name);
  };
  for (const name of names) visit(name, []);
  return ordered.map((name) => {
    const columns = source.pragma(`table_info("${name}")`) as Array<{ name: string; type: string }>;
    return {
      name,
      columns: columns.map((c) => c.name),
      selfColumns: selfColumns.get(name) ?? [],
      numberedId: columns.some((c) => c.name === "id" && /^integer$/i.test(c.type)),
    };
  });
}

export async function copyDatabase(options: {
  from: string;
  to: string;
  log?: (line: string) => void;
}): Promise<Record<string, number>> {
  const log = options.log ?? (() => {});
  const source = new SQLite(path.resolve(options.from), { readonly: true, fileMustExist: true });
  const target = openDatabase(options.to) as unknown as Kysely<any>;
  try {
    const applied = (
      source.prepare("select name from kysely_migration order by name").all() as Array<{
        name: string;
      }>
    ).map((r) => r.name);
    const latest = Object.keys(migrations).sort();
    if (applied.join() !== latest.join())
      throw new CopyError(
        "The SQLite database is not at the latest schema: run `npm run db:migrate` on it first.",
      );
    await migrateToLatest(target);
    const tables = plan(source);
    const counts: Record<string, number> = {};
    await target.transaction().execute(async (trx) => {
      for (const table of tables) {
        if (MIGRATION_ROWS.has(table.name)) continue;
        const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(
          table.name,
        )}`.execute(trx);
        if (Number(rows[0]!.n) > 0)
          throw new CopyError(`The target database is not empty (table ${table.name} has rows).`);
      }
      // The migrations' own rows give way to the installation's (which started from them).
      for (const name of MIGRATION_ROWS) await trx.deleteFrom(name).execute();
      for (const table of tables) {
        const select = source.prepare(`select * from "${table.name}" order by rowid`);
        let batch: Record<string, unknown>[] = [];
        let n = 0;
        const flush = async () => {
          if (!batch.length) return;
          await trx.insertInto(table.name).values(batch).execute();
          n += batch.length;
          batch = [];
        };
        const deferred: Array<{ id: unknown; values: Record<string, unknown> }> = [];
        for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
          const values = { ...row };
          if (table.selfColumns.some((c) => values[c] != null)) {
            deferred.push({
              id: values.id,
              values: Object.fromEntries(table.selfColumns.map((c) => [c, values[c]])),
            });
            for (const c of table.selfColumns) values[c] = null;
          }
          batch.push(values);
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        for (const d of deferred)
          await trx.updateTable(table.name).set(d.values).where("id", "=", d.id).execute();
        if (table.numberedId)
          await sql`select setval(pg_get_serial_sequence(${table.name}, 'id'),
            coalesce((select max(id) from ${sql.table(table.name)}), 0) + 1, false)`.execute(trx);
        counts[table.name] = n;
        log(`${table.name}: ${n}`);
      }
      for (const table of tables) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(
          table.name,
        )}`.execute(trx);
        const expected = (
          source.prepare(`select count(*) as n from "${table.name}"`).get() as { n: number }
        ).n;
        if (Number(rows[0]!.n) !== expected)
          throw new CopyError(`${table.name}: ${rows[0]!.n} rows copied, ${expected} expected`);
      }
    });
    // Fresh statistics for the planner, rather than waiting for autovacuum to gather them.
    await sql`analyze`.execute(target);
    return counts;
  } finally {
    source.close();
    await target.destroy();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const from = value("--from");
  const to = value("--to");
  if (!from || !to || !/^postgres(ql)?:\/\//.test(to)) {
    console.error("使い方: npm run db:copy -- --from <SQLiteファイル> --to postgres://…");
    process.exit(2);
  }
  try {
    const counts = await copyDatabase({ from, to, log: (l) => console.log(l) });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`コピーしました: ${total} rows in ${Object.keys(counts).length} tables.`);
  } catch (error) {
    console.error(error instanceof CopyError ? error.message : error);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
