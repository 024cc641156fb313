// Migrates one template database per test run; each test file then works on its own copy.
// TEST_DATABASE=postgres runs the same suite on a throw-away PostgreSQL cluster (issue 16).
import fs from "node:fs";
import pg from "pg";
import { migrateToLatest } from "../../db/migrator";
import { openDatabase } from "../../app/utils/db.server";
import { PG_TEMPLATE, TEMPLATE_DB, TMP_DIR } from "./paths";
import { startCluster } from "./postgres";

export default async function globalSetup() {
  fs.rmSync(TMP_DIR, { recursive: true, force: true });
  fs.mkdirSync(TMP_DIR, { recursive: true });
  if (process.env.TEST_DATABASE === "postgres") {
    const cluster = await startCluster();
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    await admin.query(`create database ${PG_TEMPLATE}`);
    await admin.end();
    const db = openDatabase(cluster.url(PG_TEMPLATE));
    await migrateToLatest(db);
    await db.destroy();
    // Read by setup-db.ts in every test file's process.
    process.env.TEST_PG_ADMIN_URL = cluster.url("postgres");
    return () => cluster.stop();
  }
  const db = openDatabase(TEMPLATE_DB);
  await migrateToLatest(db);
  // Fold the WAL into the main file so that a plain copy is complete.
  await db.destroy();
}
