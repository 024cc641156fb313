/**
 * SQL that reads the same on SQLite and PostgreSQL (issue 16). The models use Kysely's builder
 * everywhere; these are the few expressions where the two databases spell things differently.
 */
import { sql, type RawBuilder } from "kysely";
import { dialectOf, getDb } from "./db.server";

/** A LIKE pattern matching `text` anywhere, with %, _ and \ taken literally (use with `escape '\\'`). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const onPostgres = () => dialectOf(getDb()) === "postgres";

/**
 * `column` contains `text`, ignoring the case of ASCII letters (as SQLite's LIKE does; on
 * PostgreSQL ILIKE, whose C collation folds ASCII only, like SQLite).
 */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  const like = sql.raw(onPostgres() ? "ilike" : "like");
  return sql<boolean>`${sql.ref(column)} ${like} ${containsPattern(text)} escape '\\'`;
}

/**
 * The strings of a JSON array held in a text column, as a table source with one column `value`:
 * `select … from ${jsonTextElements("s.tags_json")} where value = …`.
 */
export function jsonTextElements(column: string): RawBuilder<unknown> {
  return onPostgres()
    ? sql`jsonb_array_elements_text(cast(${sql.ref(column)} as jsonb)) as je(value)`
    : sql`json_each(${sql.ref(column)})`;
}

/** 1 when the condition holds, else 0 (SQLite's comparisons are numbers, PostgreSQL's booleans). */
export function oneIf(condition: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(case when ${condition} then 1 else 0 end)`;
}
