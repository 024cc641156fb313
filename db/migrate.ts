// npm run db:migrate — applies pending migrations to DATABASE_URL (PostgreSQL) or DATABASE_PATH.
import { closeDb, getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateToLatest } from "./migrator";

const applied = await migrateToLatest(getDb());
console.log(
  applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.",
  `(${getEnv().databaseUrl ? "PostgreSQL" : getEnv().databasePath})`,
);
await closeDb();
