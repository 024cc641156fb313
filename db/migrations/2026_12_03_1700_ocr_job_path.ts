import type { Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * How a draft was made, kept with its job: every pass of the OCR pipeline (the checks' notes —
 * e.g. the paper mask skipped on a scan, blue ink read on the red channel, a plain second pass —
 * with its layout, confidence, characters read, characters expected and score) and which pass
 * was kept. JSON; null for jobs done before it existed or not done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ocr_job").addColumn("path_json", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ocr_job").dropColumn("path_json").execute();
}
