/**
 * npm run test:postgres — the integration suite again, on a throw-away PostgreSQL cluster
 * (TEST_DATABASE=postgres; see test/helpers/postgres.ts). The OCR-only files are left out: they
 * do not touch the database. Without PostgreSQL installed this says so loudly and passes, except
 * under CI=true, where it fails.
 */
import { spawnSync } from "node:child_process";
import { findPostgresBin } from "./helpers/postgres";

if (!findPostgresBin()) {
  const message = "PostgreSQL is not installed: the PostgreSQL pass of the test suite did not run.";
  console.error(`\n${"*".repeat(message.length)}\n${message}\n(apt-get install -y postgresql)\n`);
  process.exit(process.env.CI === "true" ? 1 : 0);
}
const result = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "test/integration",
    "--exclude",
    "test/integration/ocr-pipeline.test.ts",
    "--exclude",
    "test/integration/ocr-hand-model.test.ts",
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", env: { ...process.env, TEST_DATABASE: "postgres" } },
);
process.exit(result.status ?? 1);
