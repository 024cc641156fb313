/**
 * Checks the private image store against the database (see app/models/upload-sweep.server.ts):
 *
 *   npm run uploads:sweep               report files no page uses and pages whose file is missing
 *   npm run uploads:sweep -- --remove   also remove those files (older than the grace period)
 *   npm run uploads:sweep -- --remove --grace-minutes 0
 *
 * Exits 1 when a page's file is missing.
 */
import { describeSweep, DEFAULT_GRACE_MS, sweepUploads } from "~/models/upload-sweep.server";
import { closeDb } from "~/utils/db.server";

const args = process.argv.slice(2);
const remove = args.includes("--remove");
const graceAt = args.indexOf("--grace-minutes");
const graceMinutes = graceAt >= 0 ? Number(args[graceAt + 1]) : DEFAULT_GRACE_MS / 60_000;
if (!Number.isFinite(graceMinutes) || graceMinutes < 0) {
  console.error("--grace-minutes には 0 以上の数を指定してください。");
  process.exit(2);
}
const report = await sweepUploads({ remove, graceMs: graceMinutes * 60_000 });
const lines = describeSweep(report, "run again with --remove to delete them.");
for (const line of lines) console.log(line);
if (!lines.length)
  console.log("Uploads: every file belongs to a page and every page has its files.");
if (report.recent)
  console.log(`Uploads: ${report.recent} newer file(s) left alone (grace period).`);
await closeDb();
process.exit(report.missing.length ? 1 : 0);
