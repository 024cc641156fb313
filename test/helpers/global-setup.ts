// Migrates one template database per test run; each test file then works on its own copy.
import fs from "node:fs";
import { migrateToLatest } from "../../db/migrator";
import { openDatabase } from "../../app/utils/db.server";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

export default async function globalSetup() {
  fs.rmSync(TMP_DIR, { recursive: true, force: true });
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const db = openDatabase(TEMPLATE_DB);
  await migrateToLatest(db);
  // Fold the WAL into the main file so that a plain copy is complete.
  await db.destroy();
}
