import type { Kysely } from "kysely";

// Frozen in time: this file must never import application code.

/**
 * The straightened page crop that OCR derives (the sheet of paper, deskewed, in colour): its
 * file under uploads/, its size, and the deskew angle and offsets that map the line boxes
 * (stored on the viewing image) onto it. Null until OCR has read the page, and again after a
 * rotation, until OCR has read it once more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("page").addColumn("crop_path", "text").execute();
  await db.schema.alterTable("page").addColumn("crop_width", "integer").execute();
  await db.schema.alterTable("page").addColumn("crop_height", "integer").execute();
  await db.schema.alterTable("page").addColumn("crop_json", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ["crop_json", "crop_height", "crop_width", "crop_path"])
    await db.schema.alterTable("page").dropColumn(column).execute();
}
