import { sql, type Kysely } from "kysely";

import { isPostgres, nowText } from "./dialect";

// Frozen in time: this file must never import application code.

/**
 * The community resource list (issue 11): the HSDS-aligned fields of a resource (organisation,
 * address and location, schedule as text and as weekly/monthly rules, public contact,
 * eligibility and fees, last verification), the history of every change (field, old, new, who,
 * when), and town walks (まち歩き) with their stops and results.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  const text = (name: string) =>
    db.schema
      .alterTable("resource")
      .addColumn(name, "text", (c) => c.notNull().defaultTo(""))
      .execute();
  for (const name of [
    "organization",
    "address",
    "schedule_text",
    "phone",
    "email",
    "url",
    "eligibility",
    "fees",
  ])
    await text(name);
  // Structured schedule rules: [{ freq: "weekly", weekdays: ["MO"], opens: "10:00", closes:
  // "12:00" } | { freq: "monthly", ordinal: 2 | -1, weekday: "SU", opens, closes }].
  await db.schema
    .alterTable("resource")
    .addColumn("schedule_json", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("resource")
    .addColumn("lat", "real", (c) => c.check(sql`lat is null or (lat between -90 and 90)`))
    .execute();
  await db.schema
    .alterTable("resource")
    .addColumn("lng", "real", (c) => c.check(sql`lng is null or (lng between -180 and 180)`))
    .execute();
  await db.schema.alterTable("resource").addColumn("verified_on", "text").execute();
  await db.schema
    .alterTable("resource")
    .addColumn("verified_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .execute();
  await db.schema
    .alterTable("resource")
    .addColumn("verified_how", "text", (c) =>
      c.check(sql`verified_how is null or verified_how in ('walk', 'phone', 'visit', 'other')`),
    )
    .execute();
  // Name, aliases, description and tags folded (kana, width, okurigana) for search.
  await db.schema
    .alterTable("resource")
    .addColumn("search_key", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("resource")
    .addColumn("updated_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .execute();
  await db.schema
    .createIndex("resource_area_category_idx")
    .on("resource")
    .columns(["area", "category"])
    .execute();
  await db.schema
    .createIndex("resource_visibility_status_idx")
    .on("resource")
    .columns(["visibility", "status"])
    .execute();

  await db.schema
    .createTable("resource_change")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("resource_id", "integer", (c) =>
      c.notNull().references("resource.id").onDelete("cascade"),
    )
    .addColumn("field", "text", (c) => c.notNull())
    .addColumn("old_value", "text")
    .addColumn("new_value", "text")
    .addColumn("staff_id", "integer", (c) => c.references("staff_user.id"))
    // What made the change: an edit, a town walk, an import, a seed decision.
    .addColumn("source", "text", (c) =>
      c
        .notNull()
        .defaultTo("edit")
        .check(sql`source in ('edit', 'walk', 'import', 'seed')`),
    )
    .addColumn("changed_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("resource_change_resource_idx")
    .on("resource_change")
    .columns(["resource_id", "id"])
    .execute();

  await db.schema
    .createTable("town_walk")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("health_room_id", "integer", (c) => c.references("health_room.id"))
    .addColumn("planned_on", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("planned")
        .check(sql`status in ('planned', 'done')`),
    )
    .addColumn("created_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createTable("town_walk_stop")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("walk_id", "integer", (c) =>
      c.notNull().references("town_walk.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("resource_id", "integer", (c) => c.references("resource.id").onDelete("cascade"))
    .addColumn("seed_id", "integer", (c) => c.references("seed.id").onDelete("cascade"))
    .addColumn("result", "text", (c) =>
      c.check(sql`result is null or result in ('verified', 'changed', 'closed', 'not_found')`),
    )
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("recorded_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("recorded_at", "text")
    .addCheckConstraint(
      "town_walk_stop_target",
      isPostgres(db)
        ? sql`num_nonnulls(resource_id, seed_id) = 1`
        : sql`(resource_id is not null) + (seed_id is not null) = 1`,
    )
    .execute();
  await db.schema
    .createIndex("town_walk_stop_walk_idx")
    .on("town_walk_stop")
    .columns(["walk_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("town_walk_stop").execute();
  await db.schema.dropTable("town_walk").execute();
  await db.schema.dropTable("resource_change").execute();
  await db.schema.dropIndex("resource_visibility_status_idx").execute();
  await db.schema.dropIndex("resource_area_category_idx").execute();
  for (const name of [
    "updated_by_staff_id",
    "search_key",
    "verified_how",
    "verified_by_staff_id",
    "verified_on",
    "lng",
    "lat",
    "schedule_json",
    "fees",
    "eligibility",
    "url",
    "email",
    "phone",
    "schedule_text",
    "address",
    "organization",
  ])
    await db.schema.alterTable("resource").dropColumn(name).execute();
}
