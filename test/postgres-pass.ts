/**
 * npm run test:postgres — the integration suite again, on a throw-away PostgreSQL cluster
 * (TEST_DATABASE=postgres; see test/helpers/postgres.ts), without the files that do not depend
 * on the database (below). Without PostgreSQL installed this says so loudly and passes, except
 * under CI=true, where it fails.
 */
import { spawnSync } from "node:child_process";
import { findPostgresBin } from "./helpers/postgres";

if (!findPostgresBin()) {
  const message = "PostgreSQL is not installed: the PostgreSQL pass of the test suite did not run.";
  console.error(`\n${"*".repeat(message.length)}\n${message}\n(apt-get install -y postgresql)\n`);
  process.exit(process.env.CI === "true" ? 1 : 0);
}
/**
 * Files whose subject does not depend on the database, left out of this pass to keep CI short:
 * OCR and its geometry, HTTP parsing and limits, and the crash test (it passes on PostgreSQL; its
 * subject is the image files and the SQLite file). Everything that reads or writes rows runs.
 */
const DATABASE_INDEPENDENT = [
  "ocr-pipeline",
  "ocr-hand-model",
  "page-crop",
  "ocr-crash",
  "http-malformed",
  "http-abuse",
  "crash",
];
const result = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "test/integration",
    ...DATABASE_INDEPENDENT.flatMap((name) => ["--exclude", `test/integration/${name}.test.ts`]),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", env: { ...process.env, TEST_DATABASE: "postgres" } },
);
process.exit(result.status ?? 1);
