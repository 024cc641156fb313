import { sql, type Kysely } from "kysely";

import { nowText } from "./dialect";

// Frozen in time: this file must never import application code.

export async function up(db: Kysely<any>): Promise<void> {
  const now = nowText(db);
  await db.schema
    .alterTable("diary_group")
    .addColumn("default_layout", "text", (c) =>
      c
        .notNull()
        .defaultTo("auto")
        .check(sql`default_layout in ('auto', 'horizontal', 'vertical')`),
    )
    .execute();

  await db.schema
    .createTable("page")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("group_id", "integer", (c) => c.notNull().references("diary_group.id"))
    .addColumn("notebook_id", "integer", (c) => c.notNull().references("notebook.id"))
    .addColumn("page_number", "integer", (c) => c.notNull())
    .addColumn("author_participant_id", "integer", (c) => c.references("participant.id"))
    .addColumn("entry_date", "text")
    .addColumn("layout_setting", "text", (c) =>
      c
        .notNull()
        .defaultTo("auto")
        .check(sql`layout_setting in ('auto', 'horizontal', 'vertical')`),
    )
    .addColumn("layout", "text", (c) => c.check(sql`layout in ('horizontal', 'vertical')`))
    .addColumn("rotation", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`rotation in (0, 90, 180, 270)`),
    )
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("queued")
        .check(sql`status in ('queued', 'ocr', 'needs_review', 'approved', 'ocr_failed')`),
    )
    .addColumn("ocr_error", "text")
    .addColumn("image_sha256", "text", (c) => c.notNull().unique())
    .addColumn("original_path", "text", (c) => c.notNull())
    .addColumn("viewing_path", "text", (c) => c.notNull())
    .addColumn("thumb_path", "text", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("hidden", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("uploaded_by_staff_id", "integer", (c) => c.notNull().references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "text", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("page_notebook_number_idx")
    .on("page")
    .columns(["notebook_id", "page_number"])
    .execute();
  await db.schema
    .createIndex("page_status_idx")
    .on("page")
    .columns(["status", "created_at"])
    .execute();

  await db.schema
    .createTable("ocr_job")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("page_id", "integer", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("state", "text", (c) =>
      c
        .notNull()
        .defaultTo("queued")
        .check(sql`state in ('queued', 'running', 'done', 'failed', 'cancelled')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "text")
    .addColumn("run_after", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("ocr_job_state_idx")
    .on("ocr_job")
    .columns(["state", "run_after", "id"])
    .execute();
  // At most one unfinished job per page.
  await sql`create unique index ocr_job_active_page_uq on ocr_job (page_id) where state in ('queued', 'running')`.execute(
    db,
  );

  await db.schema
    .createTable("transcription")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("page_id", "integer", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('ocr', 'staff')`))
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("lines_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("confidence", "real")
    .addColumn("layout", "text")
    .addColumn("ocr_job_id", "integer", (c) => c.references("ocr_job.id"))
    .addColumn("timings_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_by_staff_id", "integer", (c) => c.references("staff_user.id"))
    .addColumn("created_at", "text", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("transcription_page_version_uq", ["page_id", "version"])
    .execute();
  // One draft per OCR job, whatever happens to leases and retries.
  await sql`create unique index transcription_ocr_job_uq on transcription (ocr_job_id) where ocr_job_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("transcription").execute();
  await db.schema.dropTable("ocr_job").execute();
  await db.schema.dropTable("page").execute();
  await db.schema.alterTable("diary_group").dropColumn("default_layout").execute();
}
