import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TMP_DIR = path.join(ROOT, "test", ".tmp");
export const TEMPLATE_DB = path.join(TMP_DIR, "template.db");
/** The PostgreSQL database each test file's database is created from (TEST_DATABASE=postgres). */
export const PG_TEMPLATE = "kokan_template";
/** True when this test file runs on PostgreSQL: tests of SQLite's own files skip then. */
export const ON_POSTGRES = !!process.env.TEST_PG_ADMIN_URL; // set by global-setup.ts
