/**
 * Pages of a group's notebook as the scanning station handles them: adding photos (the page row
 * and its OCR job in one transaction), rotating, choosing the layout, reordering, deleting before
 * review, and re-running OCR. Image work is always done before a transaction, never inside it.
 */
import { sql } from "kysely";
import type { LayoutSetting, PageStatus } from "../../db/schema";
import {
  checkUpload,
  deriveImages,
  removeFiles,
  storeOriginal,
  type CheckedImage,
} from "~/ocr/images.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";

type By = { actor: Actor; ip?: string };

export type AddPageResult =
  | { status: "added"; pageId: number; pageNumber: number }
  | { status: "duplicate"; pageId: number; pageNumber: number };

async function findBySha(db: DB, sha256: string) {
  return db
    .selectFrom("page")
    .select(["id", "page_number"])
    .where("image_sha256", "=", sha256)
    .executeTakeFirst();
}

/** Puts a new OCR job in the queue for a page, cancelling any unfinished one. */
export async function requeue(trx: DB, pageId: number) {
  await trx
    .updateTable("ocr_job")
    .set({ state: "cancelled", finished_at: new Date().toISOString() })
    .where("page_id", "=", pageId)
    .where("state", "in", ["queued", "running"])
    .execute();
  await trx.insertInto("ocr_job").values({ page_id: pageId }).execute();
  await trx
    .updateTable("page")
    .set({ status: "queued", ocr_error: null, updated_at: new Date().toISOString() })
    .where("id", "=", pageId)
    .execute();
}

export async function addPage(
  groupId: number,
  bytes: Buffer,
  by: By & { actor: { type: "staff"; staffId: number } },
) {
  const image: CheckedImage = await checkUpload(bytes);
  const db = getDb();
  const group = await db
    .selectFrom("diary_group as g")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .select(["n.id as notebookId", "g.default_layout"])
    .where("g.id", "=", groupId)
    .executeTakeFirst();
  if (!group) throw new DomainError("error.notFound");
  const existing = await findBySha(db, image.sha256);
  if (existing)
    return {
      status: "duplicate",
      pageId: existing.id,
      pageNumber: existing.page_number,
    } as AddPageResult;

  const originalPath = await storeOriginal(image);
  let derived;
  try {
    derived = await deriveImages(originalPath, image.sha256, 0);
  } catch (error) {
    await removeFiles(originalPath);
    throw error;
  }
  try {
    return await db.transaction().execute(async (trx): Promise<AddPageResult> => {
      const last = await trx
        .selectFrom("page")
        .select((eb) => eb.fn.max("page_number").as("n"))
        .where("notebook_id", "=", group.notebookId)
        .executeTakeFirst();
      const pageNumber = Number(last?.n ?? 0) + 1;
      const { id } = await trx
        .insertInto("page")
        .values({
          group_id: groupId,
          notebook_id: group.notebookId,
          page_number: pageNumber,
          layout_setting: group.default_layout,
          image_sha256: image.sha256,
          original_path: originalPath,
          viewing_path: derived.viewingPath,
          thumb_path: derived.thumbPath,
          width: derived.width,
          height: derived.height,
          uploaded_by_staff_id: by.actor.staffId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("ocr_job").values({ page_id: id }).execute();
      await writeAudit(trx, {
        ...by,
        action: "create",
        entityType: "page",
        entityId: id,
        detail: { groupId, pageNumber },
      });
      return { status: "added", pageId: id, pageNumber };
    });
  } catch (error) {
    // The same photo sent twice at the same moment: the unique hash lets one win.
    const winner = await findBySha(db, image.sha256);
    if (winner) return { status: "duplicate", pageId: winner.id, pageNumber: winner.page_number };
    await removeFiles(originalPath, derived.viewingPath, derived.thumbPath);
    throw error;
  }
}

export interface StationPage {
  id: number;
  pageNumber: number;
  status: PageStatus;
  layoutSetting: LayoutSetting;
  layout: string | null;
  rotation: number;
  error: string | null;
  attempts: number;
  confidence: number | null;
  updatedAt: string;
}

export async function listStationPages(groupId: number): Promise<StationPage[]> {
  const rows = await getDb()
    .selectFrom("page as p")
    .select((eb) => [
      "p.id",
      "p.page_number",
      "p.status",
      "p.layout_setting",
      "p.layout",
      "p.rotation",
      "p.ocr_error",
      "p.updated_at",
      eb
        .selectFrom("ocr_job as j")
        .select("j.attempts")
        .whereRef("j.page_id", "=", "p.id")
        .orderBy("j.id", "desc")
        .limit(1)
        .as("attempts"),
      eb
        .selectFrom("transcription as t")
        .select("t.confidence")
        .whereRef("t.page_id", "=", "p.id")
        .orderBy("t.version", "desc")
        .limit(1)
        .as("confidence"),
    ])
    .where("p.group_id", "=", groupId)
    .orderBy("p.page_number", "desc")
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pageNumber: r.page_number,
    status: r.status,
    layoutSetting: r.layout_setting,
    layout: r.layout,
    rotation: r.rotation,
    error: r.ocr_error,
    attempts: Number(r.attempts ?? 0),
    confidence: r.confidence,
    updatedAt: r.updated_at,
  }));
}

export async function getPageFiles(pageId: number) {
  return getDb()
    .selectFrom("page")
    .select(["id", "group_id", "status", "viewing_path", "thumb_path", "hidden"])
    .where("id", "=", pageId)
    .executeTakeFirst();
}

async function getEditablePage(pageId: number, groupId: number) {
  const page = await getDb()
    .selectFrom("page")
    .selectAll()
    .where("id", "=", pageId)
    .where("group_id", "=", groupId)
    .executeTakeFirst();
  if (!page) throw new DomainError("error.notFound");
  return page;
}

const BEFORE_REVIEW: PageStatus[] = ["queued", "ocr", "needs_review", "ocr_failed"];

async function assertNoStaffEdits(pageId: number) {
  const staffVersion = await getDb()
    .selectFrom("transcription")
    .select("id")
    .where("page_id", "=", pageId)
    .where("source", "=", "staff")
    .executeTakeFirst();
  if (staffVersion) throw new DomainError("scan.alreadyReviewed");
}

/** A page of this group that review has not touched yet: the station may still change it. */
async function getPageBeforeReview(pageId: number, groupId: number) {
  const page = await getEditablePage(pageId, groupId);
  if (!BEFORE_REVIEW.includes(page.status)) throw new DomainError("scan.alreadyReviewed");
  await assertNoStaffEdits(pageId);
  return page;
}

/** Turns the page by 90° steps (clockwise); the images are derived again and OCR runs again. */
export async function rotatePage(groupId: number, pageId: number, degrees: 90 | 180 | 270, by: By) {
  const page = await getPageBeforeReview(pageId, groupId);
  const rotation = (page.rotation + degrees) % 360;
  const derived = await deriveImages(page.original_path, page.image_sha256, rotation);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx
        .updateTable("page")
        .set({
          rotation,
          viewing_path: derived.viewingPath,
          thumb_path: derived.thumbPath,
          width: derived.width,
          height: derived.height,
        })
        .where("id", "=", pageId)
        .execute();
      await requeue(trx, pageId);
      await writeAudit(trx, {
        ...by,
        action: "rotate",
        entityType: "page",
        entityId: pageId,
        detail: { rotation },
      });
    });
  if (derived.viewingPath !== page.viewing_path)
    await removeFiles(page.viewing_path, page.thumb_path);
}

export async function setPageLayout(
  groupId: number,
  pageId: number,
  layout: LayoutSetting,
  by: By,
) {
  await getPageBeforeReview(pageId, groupId);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx
        .updateTable("page")
        .set({ layout_setting: layout })
        .where("id", "=", pageId)
        .execute();
      await requeue(trx, pageId);
      await writeAudit(trx, {
        ...by,
        action: "layout",
        entityType: "page",
        entityId: pageId,
        detail: { layout },
      });
    });
}

export async function rerunOcr(groupId: number, pageId: number, by: By) {
  await getPageBeforeReview(pageId, groupId);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await requeue(trx, pageId);
      await writeAudit(trx, { ...by, action: "ocr_rerun", entityType: "page", entityId: pageId });
    });
}

/** Swaps the page number with the neighbouring page of the same notebook. */
export async function movePage(groupId: number, pageId: number, direction: "up" | "down", by: By) {
  const page = await getEditablePage(pageId, groupId);
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const neighbour = await trx
        .selectFrom("page")
        .select(["id", "page_number"])
        .where("notebook_id", "=", page.notebook_id)
        .where("page_number", direction === "up" ? "<" : ">", page.page_number)
        .orderBy("page_number", direction === "up" ? "desc" : "asc")
        .executeTakeFirst();
      if (!neighbour) return;
      await trx
        .updateTable("page")
        .set({ page_number: neighbour.page_number })
        .where("id", "=", page.id)
        .execute();
      await trx
        .updateTable("page")
        .set({ page_number: page.page_number })
        .where("id", "=", neighbour.id)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "reorder",
        entityType: "page",
        entityId: pageId,
        detail: { from: page.page_number, to: neighbour.page_number },
      });
    });
}

/** Only before review: the page, its drafts, its job and its image files go. */
export async function deletePage(groupId: number, pageId: number, by: By) {
  const page = await getPageBeforeReview(pageId, groupId);
  // A page that raised a 見守り flag stays until someone has looked at the flag.
  const openFlag = await getDb()
    .selectFrom("watch_flag")
    .select("id")
    .where("page_id", "=", pageId)
    .where("status", "=", "open")
    .executeTakeFirst();
  if (openFlag) throw new DomainError("scan.openFlag");
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx.deleteFrom("watch_flag").where("page_id", "=", pageId).execute();
      await trx.deleteFrom("transcription").where("page_id", "=", pageId).execute();
      await trx.deleteFrom("ocr_job").where("page_id", "=", pageId).execute();
      await trx.deleteFrom("page").where("id", "=", pageId).execute();
      await writeAudit(trx, {
        ...by,
        action: "delete",
        entityType: "page",
        entityId: pageId,
        detail: { groupId, pageNumber: page.page_number },
      });
    });
  await removeFiles(page.original_path, page.viewing_path, page.thumb_path);
}

export async function countPagesByStatus() {
  const rows = await getDb()
    .selectFrom("page")
    .select(["status", sql<number>`count(*)`.as("n")])
    .groupBy("status")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<PageStatus, number>
  >;
}
