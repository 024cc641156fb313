/**
 * How every connection to the database is set up, and what the database itself refuses (issue 15):
 * WAL with synchronous=FULL (a committed answer survives a power cut), a busy timeout for the OCR
 * worker's process, foreign keys enforced; and an audit log that no code can change or delete.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { writeAudit } from "~/utils/audit.server";
import { dialectOf, getDb, openDatabase } from "~/utils/db.server";
import { ON_POSTGRES } from "../helpers/paths";

async function pragma(db: ReturnType<typeof getDb>, name: string) {
  const { rows } = await sql<
    Record<string, unknown>
  >`select * from ${sql.raw(`pragma_${name}`)}`.execute(db);
  return Object.values(rows[0] ?? {})[0];
}

describe.skipIf(ON_POSTGRES)("every SQLite connection", () => {
  it("uses WAL, synchronous=FULL, a busy timeout and enforced foreign keys", async () => {
    // The app's own connection, and one opened afresh (as the worker and the scripts do).
    const fresh = openDatabase(process.env.DATABASE_PATH!);
    try {
      for (const db of [getDb(), fresh]) {
        expect(await pragma(db, "journal_mode")).toBe("wal");
        expect(await pragma(db, "synchronous")).toBe(2); // FULL
        expect(await pragma(db, "busy_timeout")).toBe(5000);
        expect(await pragma(db, "foreign_keys")).toBe(1);
      }
    } finally {
      await fresh.destroy();
    }
  });
});

describe("foreign keys", () => {
  it("refuses a row that points nowhere", async () => {
    await expect(
      getDb()
        .insertInto("group_member")
        .values({
          group_id: 999_999,
          participant_id: 999_999,
          position: 1,
          joined_on: "2026-12-04",
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);
  });
});

describe.runIf(ON_POSTGRES)("every PostgreSQL transaction", () => {
  it("waits for the one transaction lock, so a check inside it still holds when it writes", async () => {
    const db = getDb();
    const order: string[] = [];
    const first = db.transaction().execute(async (trx) => {
      order.push("first in");
      await sql`select pg_sleep(0.3)`.execute(trx);
      order.push("first out");
    });
    await new Promise((r) => setTimeout(r, 50));
    // A second process (another app server, a worker) opening its own pool.
    const other = openDatabase(process.env.DATABASE_URL!);
    try {
      await other.transaction().execute(async () => {
        order.push("second in");
      });
    } finally {
      await other.destroy();
    }
    await first;
    expect(order).toEqual(["first in", "first out", "second in"]);
    expect(dialectOf(db)).toBe("postgres");
  });
});

describe("the audit log", () => {
  it("takes new rows but refuses to change or delete one, whoever asks", async () => {
    const db = getDb();
    await writeAudit(db, {
      actor: { type: "anonymous" },
      action: "staff.login_failed",
      entityType: "staff_user",
      detail: { test: true },
    });
    const row = await db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await expect(
      db.updateTable("audit_log").set({ action: "staff.login" }).where("id", "=", row.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom("audit_log").where("id", "=", row.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    const after = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(row);
  });
});
