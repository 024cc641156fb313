import { sql, type Kysely } from "kysely";

import { nowText } from "./dialect";

// Frozen in time: this file must never import application code.

/**
 * The default 見守り phrases a fresh installation starts with (staff edit the list afterwards).
 * Matching folds katakana to hiragana and ignores spaces and width, so only distinct spellings
 * are listed; kana spellings that occur inside everyday words (いきたくない = 行きたくない) are
 * left out on purpose.
 */
const DEFAULT_PHRASES: Array<[string, string[]]> = [
  ["死にたい", ["しにたい"]],
  ["死んでしまいたい", ["しんでしまいたい"]],
  ["消えたい", ["きえたい", "消えてしまいたい", "きえてしまいたい", "消えてなくなりたい"]],
  ["いなくなりたい", ["居なくなりたい"]],
  ["生きていたくない", ["いきていたくない", "生きたくない"]],
  ["生きるのがつらい", ["生きるのが辛い", "いきるのがつらい", "生きるのがしんどい"]],
  ["自殺", ["じさつ"]],
  ["全部終わりにしたい", ["ぜんぶおわりにしたい", "全部終わらせたい"]],
  ["自分を傷つけ", ["自分を傷付け", "じぶんをきずつけ"]],
  ["リストカット", ["リスカ"]],
  ["オーバードーズ", []],
  ["殴られ", ["なぐられ"]],
  ["叩かれ", ["たたかれ"]],
  ["暴力", ["ぼうりょく"]],
  ["助けて", ["たすけて"]],
  ["もう限界", ["もうげんかい"]],
  ["眠れない", ["ねむれない"]],
  ["食べられない", ["たべられない"]],
  ["誰にも言えない", ["だれにもいえない", "誰にも相談できない"]],
  ["居場所がない", ["いばしょがない"]],
];

export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  // Who is reviewing the page right now (a claim that expires), and which version was approved.
  await db.schema
    .alterTable("page")
    .addColumn("review_staff_id", "integer", (c) => c.references("staff_user.id"))
    .execute();
  await db.schema.alterTable("page").addColumn("review_claimed_at", "text").execute();
  await db.schema.alterTable("page").addColumn("approved_version", "integer").execute();
  await db.schema
    .alterTable("page")
    .addColumn("approved_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .execute();
  await db.schema.alterTable("page").addColumn("approved_at", "text").execute();
  await db.schema
    .createIndex("page_group_status_idx")
    .on("page")
    .columns(["group_id", "status"])
    .execute();

  await db.schema.alterTable("transcription").addColumn("restored_from", "integer").execute();

  await db.schema
    .createTable("concern_phrase")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("phrase", "text", (c) => c.notNull().unique())
    .addColumn("variants", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("watch_flag")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("page_id", "integer", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('phrase', 'manual')`))
    .addColumn("concern_phrase_id", "integer", (c) => c.references("concern_phrase.id"))
    .addColumn("matched_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("context_before", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("context_after", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("transcription_version", "integer")
    .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'acknowledged')`),
    )
    .addColumn("raised_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("acknowledged_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("acknowledged_at", "text")
    .addColumn("acknowledgement_note", "text")
    .execute();
  await db.schema.createIndex("watch_flag_page_idx").on("watch_flag").column("page_id").execute();
  await sql`create index watch_flag_open_idx on watch_flag (created_at) where status = 'open'`.execute(
    db,
  );
  // One flag per page and phrase: a phrase already looked at is not raised again by each save.
  await sql`create unique index watch_flag_page_phrase_uq on watch_flag (page_id, concern_phrase_id) where concern_phrase_id is not null`.execute(
    db,
  );

  for (const [phrase, variants] of DEFAULT_PHRASES) {
    await db
      .insertInto("concern_phrase")
      .values({ phrase, variants: JSON.stringify(variants) })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("watch_flag").execute();
  await db.schema.dropTable("concern_phrase").execute();
  await db.schema.alterTable("transcription").dropColumn("restored_from").execute();
  await db.schema.dropIndex("page_group_status_idx").execute();
  for (const column of [
    "approved_at",
    "approved_by_staff_id",
    "approved_version",
    "review_claimed_at",
    "review_staff_id",
  ])
    await db.schema.alterTable("page").dropColumn(column).execute();
}
