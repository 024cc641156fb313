/**
 * npm run worker — the OCR runner as a separate process, for when the app runs with
 * OCR_RUNNER=off (e.g. on another machine sharing the database file, or to keep OCR off the
 * web server's CPU). Several runners can share one queue: leases keep them apart.
 */
import { migrateToLatest } from "../db/migrator";
import { startOcr, stopOcr } from "./models/ocr-service.server";
import { closeDb, getDb } from "./utils/db.server";

await migrateToLatest(getDb());
const { pool, runner } = await startOcr({ log: (m) => console.log(`[ocr] ${m}`) });
console.log(`OCR worker ${runner.owner} running with ${pool.size} worker(s).`);

async function shutdown() {
  await stopOcr();
  await closeDb();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
