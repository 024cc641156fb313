/**
 * npm run db:copy: the demo installation's SQLite file moved into a fresh PostgreSQL database on
 * a throw-away cluster — every row of every table the same, ids kept, new rows numbered after
 * them, and a target that is not empty refused.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "../../db/copy";
import { seedDemoIfEmpty } from "../../db/seed-demo";
import { getDb, openDatabase } from "~/utils/db.server";
import { ON_POSTGRES } from "../helpers/paths";
import { createDatabase, findPostgresBin, startCluster, type Cluster } from "../helpers/postgres";

const available = !!findPostgresBin();
if (!available && !ON_POSTGRES) {
  const message = "PostgreSQL is not installed: the db:copy test cannot run.";
  if (process.env.CI === "true") throw new Error(message);
  console.warn(`\n*** ${message} (apt-get install -y postgresql) ***\n`);
}

let cluster: Cluster;

beforeAll(async () => {
  if (!available || ON_POSTGRES) return;
  cluster = await startCluster();
  await createDatabase(cluster, "copied");
  await createDatabase(cluster, "occupied");
}, 60_000);

afterAll(() => cluster?.stop());

/** Every row of every table, in id order, as plain values. */
async function dump(db: ReturnType<typeof getDb>, tables: string[]) {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(
      table,
    )} order by 1`.execute(db);
    out[table] = rows;
  }
  return out;
}

// The source is SQLite: this runs in the SQLite pass of the suite.
describe.skipIf(!available || ON_POSTGRES)("db:copy", () => {
  it("copies every row of the demo installation, ids and all", { timeout: 120_000 }, async () => {
    const source = getDb();
    await seedDemoIfEmpty(source);
    // A referral pointing at a later participant: written after its table is in.
    const [first, last] = await Promise.all([
      source.selectFrom("participant").select("id").orderBy("id").executeTakeFirstOrThrow(),
      source.selectFrom("participant").select("id").orderBy("id", "desc").executeTakeFirstOrThrow(),
    ]);
    await source
      .updateTable("participant")
      .set({ referred_by_participant_id: last.id, referral_type: "participant" })
      .where("id", "=", first.id)
      .execute();

    const counts = await copyDatabase({
      from: process.env.DATABASE_PATH!,
      to: cluster.url("copied"),
    });
    expect(counts.page).toBeGreaterThan(0);
    expect(counts.audit_log).toBeGreaterThan(0);

    const target = openDatabase(cluster.url("copied"));
    try {
      const tables = Object.keys(counts);
      expect(await dump(target, tables)).toEqual(await dump(source, tables));
      // New rows continue after the copied ids.
      const room = await target
        .insertInto("health_room")
        .values({ name: "コピー後の保健室", area: "東", address: "架空市2-2" })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(room.id).toBeGreaterThan(counts.health_room!);
    } finally {
      await target.destroy();
    }
  });

  it("refuses a target that already holds data, and leaves it as it was", async () => {
    const occupied = openDatabase(cluster.url("occupied"));
    try {
      const { migrateToLatest } = await import("../../db/migrator");
      await migrateToLatest(occupied);
      await occupied
        .insertInto("health_room")
        .values({ name: "先にある保健室", area: "西", address: "架空市3-3" })
        .execute();
      await expect(
        copyDatabase({ from: process.env.DATABASE_PATH!, to: cluster.url("occupied") }),
      ).rejects.toThrow(/not empty/);
      const rooms = await occupied.selectFrom("health_room").select("name").execute();
      expect(rooms).toEqual([{ name: "先にある保健室" }]);
    } finally {
      await occupied.destroy();
    }
  });
});
