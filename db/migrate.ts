// npm run db:migrate — applies pending migrations to DATABASE_PATH.
import { closeDb, getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateToLatest } from "./migrator";

const applied = await migrateToLatest(getDb());
console.log(
  applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.",
  `(${getEnv().databasePath})`,
);
await closeDb();
