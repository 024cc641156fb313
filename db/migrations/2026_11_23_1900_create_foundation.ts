import { sql, type Kysely } from "kysely";

import { nowText } from "./dialect";

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema
    .createTable("staff_user")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("login", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'staff')`))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("health_room")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("hours", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("lat", "real")
    .addColumn("lng", "real")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("cohort")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("participant")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id"))
    .addColumn("real_name", "text", (c) => c.notNull())
    .addColumn("pen_name", "text", (c) => c.notNull())
    .addColumn("contact", "text")
    .addColumn("age_band", "text", (c) => c.notNull())
    .addColumn("referral_type", "text", (c) =>
      c
        .notNull()
        .check(sql`referral_type in ('participant', 'staff', 'school', 'sns', 'other', 'none')`),
    )
    .addColumn("referred_by_participant_id", "integer", (c) => c.references("participant.id"))
    .addColumn("referral_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("consent_reading_on", "text")
    .addColumn("consent_digitising_on", "text")
    .addColumn("consent_seeds_on", "text")
    .addColumn("withdrawn_on", "text")
    .addColumn("access_code_selector", "text", (c) => c.unique())
    .addColumn("access_code_hash", "text")
    .addColumn("access_code_issued_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("participant_cohort_idx")
    .on("participant")
    .column("cohort_id")
    .execute();
  await db.schema
    .createIndex("participant_referred_by_idx")
    .on("participant")
    .column("referred_by_participant_id")
    .execute();

  await db.schema
    .createTable("diary_group")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("cohort_id", "integer", (c) => c.notNull().references("cohort.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("health_room_id", "integer", (c) => c.notNull().references("health_room.id"))
    .addColumn("handoff_interval_days", "integer", (c) => c.notNull().defaultTo(7))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("forming")
        .check(sql`status in ('forming', 'active', 'finished')`),
    )
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("diary_group_cohort_name_uq", ["cohort_id", "name"])
    .execute();

  // Membership history: a member who leaves keeps their row (left_on set) so that
  // pages they wrote stay attributed; the replacement gets a new row at the same position.
  await db.schema
    .createTable("group_member")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("group_id", "integer", (c) => c.notNull().references("diary_group.id"))
    .addColumn("participant_id", "integer", (c) => c.notNull().references("participant.id"))
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position between 1 and 3`))
    .addColumn("joined_on", "text", (c) => c.notNull())
    .addColumn("left_on", "text")
    .addColumn("left_reason", "text")
    .execute();
  await sql`create unique index group_member_current_position_uq
    on group_member (group_id, position) where left_on is null`.execute(db);
  await sql`create unique index group_member_current_participant_uq
    on group_member (group_id, participant_id) where left_on is null`.execute(db);
  await db.schema
    .createIndex("group_member_participant_idx")
    .on("group_member")
    .column("participant_id")
    .execute();

  await db.schema
    .createTable("notebook")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("group_id", "integer", (c) => c.notNull().unique().references("diary_group.id"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();

  // Custody log. A null participant means "at the health room". The latest row per
  // notebook is the current state, so there is no holder column to drift out of sync.
  await db.schema
    .createTable("handoff")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("notebook_id", "integer", (c) => c.notNull().references("notebook.id"))
    .addColumn("from_participant_id", "integer", (c) => c.references("participant.id"))
    .addColumn("to_participant_id", "integer", (c) => c.references("participant.id"))
    .addColumn("health_room_id", "integer", (c) => c.notNull().references("health_room.id"))
    .addColumn("recorded_by_staff_id", "integer", (c) => c.notNull().references("staff_user.id"))
    .addColumn("handed_at", "text", (c) => c.notNull())
    .addColumn("due_on", "text")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("handoff_notebook_idx")
    .on("handoff")
    .columns(["notebook_id", "handed_at", "id"])
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey()) // sha256 of the cookie token
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('staff', 'participant')`))
    .addColumn("staff_user_id", "integer", (c) => c.references("staff_user.id").onDelete("cascade"))
    .addColumn("participant_id", "integer", (c) =>
      c.references("participant.id").onDelete("cascade"),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("session_staff_idx").on("session").column("staff_user_id").execute();
  await db.schema
    .createIndex("session_participant_idx")
    .on("session")
    .column("participant_id")
    .execute();

  await db.schema
    .createTable("login_attempt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("scope", "text", (c) => c.notNull()) // account | address | code
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("login_attempt_key_idx")
    .on("login_attempt")
    .columns(["scope", "key", "attempted_at"])
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("actor_type", "text", (c) =>
      c.notNull().check(sql`actor_type in ('staff', 'participant', 'system', 'anonymous')`),
    )
    .addColumn("actor_staff_id", "integer", (c) => c.references("staff_user.id"))
    // No foreign key: the log must outlive a participant deleted on request.
    .addColumn("actor_participant_id", "integer")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("detail", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("ip", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();
  await db.schema
    .createIndex("audit_log_entity_idx")
    .on("audit_log")
    .columns(["entity_type", "entity_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_log",
    "login_attempt",
    "session",
    "handoff",
    "notebook",
    "group_member",
    "diary_group",
    "participant",
    "cohort",
    "health_room",
    "staff_user",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
