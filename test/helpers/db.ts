import type { Database } from "../../db/schema";
import { getDb } from "~/utils/db.server";

/** Rows in a table: tests compare it before and after a refused change. */
export async function countRows(table: keyof Database): Promise<number> {
  const row = await getDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
