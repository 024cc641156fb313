/**
 * Pages of a group's notebook as the scanning station handles them: adding photos, rotating,
 * choosing the layout, reordering, deleting before review, and re-running OCR. This module does
 * the image work (always before a transaction, never inside it) and removes files no page uses;
 * what each step does to the page's status belongs to page-lifecycle.server.ts.
 */
import { sql } from "kysely";
import type { LayoutSetting, PageStatus } from "../../db/schema";
import {
  checkUpload,
  deriveImages,
  removeFiles,
  storeOriginal,
  type CheckedImage,
} from "~/storage/images.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { localDate } from "~/utils/dates";
import { DomainError } from "~/utils/forms.server";
import {
  PAGE_TRANSITIONS,
  createPage,
  deletePage as deleteFromLifecycle,
  requeuePage,
} from "./page-lifecycle.server";

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
    const created = await createPage(
      {
        groupId,
        notebookId: group.notebookId,
        layoutSetting: group.default_layout,
        imageSha256: image.sha256,
        originalPath,
        viewingPath: derived.viewingPath,
        thumbPath: derived.thumbPath,
        width: derived.width,
        height: derived.height,
        uploadedOn: localDate(),
      },
      by,
    );
    return { status: "added", ...created } as AddPageResult;
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

/** Turns the page by 90° steps (clockwise); the images are derived again and OCR runs again. */
export async function rotatePage(groupId: number, pageId: number, degrees: 90 | 180 | 270, by: By) {
  const page = await getDb()
    .selectFrom("page")
    .select(["rotation", "original_path", "image_sha256", "viewing_path"])
    .where("id", "=", pageId)
    .where("group_id", "=", groupId)
    .executeTakeFirst();
  if (!page) throw new DomainError("error.notFound");
  const rotation = (page.rotation + degrees) % 360;
  // Image work before the transaction; the lifecycle re-checks the page inside it.
  const derived = await deriveImages(page.original_path, page.image_sha256, rotation);
  let unusedFiles: Array<string | null>;
  try {
    ({ unusedFiles } = await requeuePage(
      groupId,
      pageId,
      { kind: "rotate", rotation, derived },
      by,
    ));
  } catch (error) {
    // Refused (review started meanwhile): the files derived for it are not used by any page.
    if (derived.viewingPath !== page.viewing_path)
      await removeFiles(derived.viewingPath, derived.thumbPath);
    throw error;
  }
  await removeFiles(...unusedFiles);
}

export async function setPageLayout(
  groupId: number,
  pageId: number,
  layout: LayoutSetting,
  by: By,
) {
  await requeuePage(groupId, pageId, { kind: "layout", layout }, by);
}

export async function rerunOcr(groupId: number, pageId: number, by: By) {
  await requeuePage(groupId, pageId, { kind: "rerun" }, by);
}

/**
 * Swaps the page number with the neighbouring page of the same notebook: "earlier" takes the
 * next lower number, "later" the next higher. Only pages review has not touched move, and only
 * past such a page: an approved page keeps its number, since participants already see it. Both
 * pages are checked inside the transaction that swaps them.
 */
export async function movePage(
  groupId: number,
  pageId: number,
  direction: "earlier" | "later",
  by: By,
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page")
        .select(["id", "notebook_id", "page_number", "status"])
        .where("id", "=", pageId)
        .where("group_id", "=", groupId)
        .executeTakeFirst();
      if (!page) throw new DomainError("error.notFound");
      if (!(await isBeforeReview(trx, page))) throw new DomainError("scan.alreadyReviewed");
      const neighbour = await trx
        .selectFrom("page")
        .select(["id", "page_number", "status"])
        .where("notebook_id", "=", page.notebook_id)
        .where("page_number", direction === "earlier" ? "<" : ">", page.page_number)
        .orderBy("page_number", direction === "earlier" ? "desc" : "asc")
        .executeTakeFirst();
      if (!neighbour) return;
      if (!(await isBeforeReview(trx, neighbour)))
        throw new DomainError("scan.neighbourReviewed", "form", { n: neighbour.page_number });
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
        action: "page.reorder",
        entityType: "page",
        entityId: pageId,
        detail: { from: page.page_number, to: neighbour.page_number },
      });
    });
}

/** Not approved and no staff version yet: the station may still change the page. */
async function isBeforeReview(trx: DB, page: { id: number; status: PageStatus }) {
  if (!(PAGE_TRANSITIONS.requeue.from as readonly PageStatus[]).includes(page.status)) return false;
  const staffVersion = await trx
    .selectFrom("transcription")
    .select("id")
    .where("page_id", "=", page.id)
    .where("source", "=", "staff")
    .executeTakeFirst();
  return !staffVersion;
}

/** Only before review and with no open 見守り flag: the page, its drafts, its job and its files go. */
export async function deletePage(groupId: number, pageId: number, by: By) {
  const { unusedFiles } = await deleteFromLifecycle(groupId, pageId, by);
  await removeFiles(...unusedFiles);
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
