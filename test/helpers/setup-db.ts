// Runs in every test file before its imports: a private copy of the migrated template database.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll } from "vitest";
import { TEMPLATE_DB, TMP_DIR } from "./paths";

const file = path.join(TMP_DIR, `test-${crypto.randomUUID()}.db`);
fs.copyFileSync(TEMPLATE_DB, file);
process.env.DATABASE_PATH = file;
process.env.UPLOADS_DIR = path.join(TMP_DIR, `uploads-${path.basename(file, ".db")}`);

afterAll(async () => {
  const { closeDb } = await import("../../app/utils/db.server");
  await closeDb();
});
