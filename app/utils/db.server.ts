/**
 * The one place a Kysely<Database> is built. SQLite through better-sqlite3, kept as a
 * process singleton so that route modules, the job runner and scripts share one connection.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, type Dialect } from "kysely";
import type { Database } from "../../db/schema";
import { getEnv } from "./env.server";

export type DB = Kysely<Database>;

export function openDatabase(file: string): DB {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = FULL");
  // Deleted and overwritten content is zeroed, not left in free space: diary text deleted on
  // request must not survive in the file (decision 026).
  sqlite.pragma("secure_delete = ON");
  return new Kysely<Database>({
    dialect: immediateTransactions(new SqliteDialect({ database: sqlite })),
  });
}

/**
 * Transactions begin IMMEDIATE: they take SQLite's write lock at the start (waiting up to the
 * busy timeout), so every read inside a transaction sees the latest committed state and a check
 * made there still holds when the transaction writes. With a plain (deferred) BEGIN, a
 * transaction that read first could not write after another process (the OCR worker) committed
 * in between: SQLite refuses that upgrade at once with SQLITE_BUSY.
 */
function immediateTransactions(dialect: SqliteDialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      driver.beginTransaction = async (connection) => {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
      };
      return driver;
    },
  };
}

const globalForDb = globalThis as unknown as { __db?: DB };

export function getDb(): DB {
  if (!globalForDb.__db) globalForDb.__db = openDatabase(getEnv().databasePath);
  return globalForDb.__db;
}

export async function closeDb(): Promise<void> {
  const db = globalForDb.__db;
  globalForDb.__db = undefined;
  await db?.destroy();
}
