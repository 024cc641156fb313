// Runs in every test file before its imports: a private copy of the migrated template database
// (a copied SQLite file, or with TEST_DATABASE=postgres a database created from the template).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import { PG_TEMPLATE, TEMPLATE_DB, TMP_DIR } from "./paths";

const id = crypto.randomUUID();
const file = path.join(TMP_DIR, `test-${id}.db`);
process.env.UPLOADS_DIR = path.join(TMP_DIR, `uploads-test-${id}`);
const adminUrl = process.env.TEST_PG_ADMIN_URL;
const pgName = `test_${id.replaceAll("-", "")}`;

if (adminUrl) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${pgName} template ${PG_TEMPLATE}`);
  await admin.end();
  process.env.DATABASE_URL = adminUrl.replace(/\/postgres$/, `/${pgName}`);
  // Tests that open the SQLite file themselves skip on PostgreSQL (see `onPostgres`).
  process.env.DATABASE_PATH = file;
} else {
  fs.copyFileSync(TEMPLATE_DB, file);
  process.env.DATABASE_PATH = file;
}

afterAll(async () => {
  const { closeDb } = await import("../../app/utils/db.server");
  await closeDb();
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${pgName} with (force)`);
    await admin.end();
  }
});
