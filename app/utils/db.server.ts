/**
 * The one place a Kysely<Database> is built. SQLite through better-sqlite3, kept as a
 * process singleton so that route modules, the job runner and scripts share one connection.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
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
