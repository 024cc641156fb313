import { sql, type Kysely } from "kysely";
import { isPostgres } from "./dialect";

// Frozen in time: this file must never import application code.

/**
 * The calendar date in Japan on which a page was uploaded. A page without an entry date is
 * placed in the diary by this date; deriving it in a query from the UTC `created_at` put pages
 * uploaded between 00:00 and 09:00 JST on the day before (decision 010). Japan keeps no daylight
 * saving time, so +9 hours is exact for the rows written before this column existed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("page").addColumn("uploaded_on", "text").execute();
  if (isPostgres(db))
    await sql`update page
      set uploaded_on = to_char(cast(created_at as timestamp) + interval '9 hours', 'YYYY-MM-DD')`.execute(
      db,
    );
  else await sql`update page set uploaded_on = date(created_at, '+9 hours')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("page").dropColumn("uploaded_on").execute();
}
