/**
 * The review queue: which pages wait for a reviewer, who is on which page, and what the group
 * may see once a page is approved. A reviewer "claims" a page by opening it from the queue or by
 * saving; the claim lapses after CLAIM_MINUTES without activity, so a page left open in a
 * forgotten tab goes back to the queue by itself.
 */
import path from "node:path";
import { sql, type ExpressionBuilder } from "kysely";
import type { Database, PageLayout, PageStatus, PageTable } from "../../db/schema";
import { isPageEventAction, PAGE_EVENT_ACTIONS } from "~/utils/audit-actions";
import { parseCropJson, type CropGeometry } from "~/utils/crop-map";
import { getDb } from "~/utils/db.server";
import { oneIf } from "~/utils/sql.server";
import { parseLines } from "~/utils/transcript";

export const CLAIM_MINUTES = 20;

function claimCutoff(now = Date.now()) {
  return new Date(now - CLAIM_MINUTES * 60_000).toISOString();
}

export interface QueueFilters {
  cohortId?: number | null;
  groupId?: number | null;
  roomId?: number | null;
  authorId?: number | null;
}

/**
 * The queue filters as conditions on `page` alone (cohort and room through the page's group), so
 * that counting needs no join with diary_group and stays an index scan.
 */
function filtered(filters: QueueFilters) {
  return (eb: ExpressionBuilder<Database, "page">) => {
    const conds = [];
    const groupsWhere = (column: "cohort_id" | "health_room_id", id: number) =>
      eb("page.group_id", "in", eb.selectFrom("diary_group").select("id").where(column, "=", id));
    if (filters.cohortId) conds.push(groupsWhere("cohort_id", filters.cohortId));
    if (filters.roomId) conds.push(groupsWhere("health_room_id", filters.roomId));
    if (filters.groupId) conds.push(eb("page.group_id", "=", filters.groupId));
    if (filters.authorId) conds.push(eb("page.author_participant_id", "=", filters.authorId));
    return eb.and(conds);
  };
}

const hasOpenFlag = sql<number>`exists (select 1 from watch_flag f where f.page_id = page.id and f.status = 'open')`;

export interface QueueRow {
  id: number;
  groupId: number;
  groupName: string;
  pageNumber: number;
  authorPenName: string | null;
  /** When no writer is set: who handed the notebook in before the page came, as the editor suggests. */
  suggestedPenName: string | null;
  entryDate: string | null;
  uploadedAt: string;
  flagged: boolean;
  reviewer: { id: number; name: string; since: string } | null;
  confidence: number | null;
}

/** Pages waiting for review: flagged first, then oldest first. */
export async function listReviewQueue(
  filters: QueueFilters,
  options: { limit?: number; offset?: number } = {},
): Promise<QueueRow[]> {
  const cutoff = claimCutoff();
  const rows = await getDb()
    .selectFrom("page")
    .innerJoin("diary_group", "diary_group.id", "page.group_id")
    .leftJoin("participant as a", "a.id", "page.author_participant_id")
    .leftJoin("staff_user as r", (j) =>
      j.onRef("r.id", "=", "page.review_staff_id").on("page.review_claimed_at", ">", cutoff),
    )
    .select((eb) => [
      "page.id",
      "page.group_id",
      "diary_group.name as group_name",
      "page.page_number",
      "a.pen_name",
      eb
        .selectFrom("handoff as h")
        .innerJoin("participant as sp", "sp.id", "h.from_participant_id")
        .select("sp.pen_name")
        .whereRef("h.notebook_id", "=", "page.notebook_id")
        .whereRef("h.handed_at", "<=", "page.created_at")
        .orderBy("h.handed_at", "desc")
        .limit(1)
        .as("suggested_pen_name"),
      "page.entry_date",
      "page.created_at",
      hasOpenFlag.as("flagged"),
      "r.id as reviewer_id",
      "r.display_name as reviewer_name",
      "page.review_claimed_at",
      eb
        .selectFrom("transcription as t")
        .select("t.confidence")
        .whereRef("t.page_id", "=", "page.id")
        .orderBy("t.version", "desc")
        .limit(1)
        .as("confidence"),
    ])
    .where("page.status", "=", "needs_review")
    .where(filtered(filters))
    .orderBy(hasOpenFlag, "desc")
    .orderBy("page.created_at", "asc")
    .orderBy("page.id", "asc")
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    groupId: r.group_id,
    groupName: r.group_name,
    pageNumber: r.page_number,
    authorPenName: r.pen_name,
    suggestedPenName: r.pen_name ? null : (r.suggested_pen_name ?? null),
    entryDate: r.entry_date,
    uploadedAt: r.created_at,
    flagged: Number(r.flagged) === 1,
    reviewer:
      r.reviewer_id !== null
        ? { id: r.reviewer_id, name: r.reviewer_name ?? "", since: r.review_claimed_at ?? "" }
        : null,
    confidence: r.confidence,
  }));
}

export interface QueueCounts {
  waiting: number;
  inReview: number;
  flagged: number;
  processing: number;
  failed: number;
  approved: number;
}

export async function countQueue(filters: QueueFilters = {}): Promise<QueueCounts> {
  const cutoff = claimCutoff();
  const db = getDb();
  // Group by status over the (status, created_at) index.
  const base = () => db.selectFrom("page").where(filtered(filters));
  const [byStatus, waiting] = await Promise.all([
    base()
      .select(["page.status", sql<number>`count(*)`.as("n")])
      .groupBy("page.status")
      .execute(),
    base()
      .select([
        sql<number>`sum(${oneIf(sql`page.review_staff_id is not null and page.review_claimed_at > ${cutoff}`)})`.as(
          "in_review",
        ),
        sql<number>`sum(${oneIf(hasOpenFlag)})`.as("flagged"),
      ])
      .where("page.status", "=", "needs_review")
      .executeTakeFirst(),
  ]);
  const n = (status: PageStatus) => Number(byStatus.find((r) => r.status === status)?.n ?? 0);
  const inReview = Number(waiting?.in_review ?? 0);
  return {
    waiting: n("needs_review") - inReview,
    inReview,
    flagged: Number(waiting?.flagged ?? 0),
    processing: n("queued") + n("ocr"),
    failed: n("ocr_failed"),
    approved: n("approved"),
  };
}

/** Claims the page for this reviewer unless someone else is on it; returns who has it. */
export async function claimPage(pageId: number, staffId: number) {
  const db = getDb();
  const now = new Date().toISOString();
  await db
    .updateTable("page")
    .set({ review_staff_id: staffId, review_claimed_at: now })
    .where("id", "=", pageId)
    .where("status", "=", "needs_review")
    .where((eb) =>
      eb.or([
        eb("review_staff_id", "is", null),
        eb("review_staff_id", "=", staffId),
        eb("review_claimed_at", "<=", claimCutoff()),
      ]),
    )
    .execute();
  return getClaim(pageId);
}

export async function releaseClaim(pageId: number, staffId: number) {
  await getDb()
    .updateTable("page")
    .set({ review_staff_id: null, review_claimed_at: null })
    .where("id", "=", pageId)
    .where("review_staff_id", "=", staffId)
    .execute();
}

export async function getClaim(pageId: number) {
  const row = await getDb()
    .selectFrom("page")
    .innerJoin("staff_user as s", "s.id", "page.review_staff_id")
    .select(["s.id", "s.display_name", "page.review_claimed_at"])
    .where("page.id", "=", pageId)
    .where("page.review_claimed_at", ">", claimCutoff())
    .executeTakeFirst();
  return row ? { staffId: row.id, name: row.display_name, since: row.review_claimed_at! } : null;
}

/** The first page of the queue that nobody else is reviewing, other than `exceptPageId`. */
export async function findNextPage(
  filters: QueueFilters,
  staffId: number,
  exceptPageId: number | null,
): Promise<number | null> {
  const cutoff = claimCutoff();
  let q = getDb()
    .selectFrom("page")
    .innerJoin("diary_group", "diary_group.id", "page.group_id")
    .select("page.id")
    .where("page.status", "=", "needs_review")
    .where(filtered(filters))
    .where((eb) =>
      eb.or([
        eb("page.review_staff_id", "is", null),
        eb("page.review_staff_id", "=", staffId),
        eb("page.review_claimed_at", "<=", cutoff),
      ]),
    );
  if (exceptPageId) q = q.where("page.id", "!=", exceptPageId);
  const row = await q
    .orderBy(hasOpenFlag, "desc")
    .orderBy("page.created_at", "asc")
    .orderBy("page.id", "asc")
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface ReviewPage {
  id: number;
  groupId: number;
  groupName: string;
  cohortName: string;
  notebookLabel: string;
  pageNumber: number;
  status: PageStatus;
  layout: PageLayout | null;
  authorId: number | null;
  entryDate: string | null;
  width: number;
  height: number;
  rotation: number;
  uploadedAt: string;
  approvedVersion: number | null;
  approvedBy: string | null;
  approvedAt: string | null;
  /** Who held the notebook before it came back with this page: the likely author. */
  suggestedAuthorId: number | null;
  /** The straightened page crop, if OCR made one; `key` changes whenever the crop does. */
  crop: (CropGeometry & { key: string }) | null;
}

export async function getReviewPage(pageId: number): Promise<ReviewPage | null> {
  const r = await getDb()
    .selectFrom("page as p")
    .innerJoin("diary_group as g", "g.id", "p.group_id")
    .innerJoin("cohort as c", "c.id", "g.cohort_id")
    .innerJoin("notebook as n", "n.id", "p.notebook_id")
    .leftJoin("staff_user as ap", "ap.id", "p.approved_by_staff_id")
    .select((eb) => [
      "p.id",
      "p.group_id",
      "g.name as group_name",
      "c.name as cohort_name",
      "n.label",
      "p.page_number",
      "p.status",
      "p.layout",
      "p.author_participant_id",
      "p.entry_date",
      "p.width",
      "p.height",
      "p.rotation",
      "p.created_at",
      "p.approved_version",
      "ap.display_name as approved_by",
      "p.approved_at",
      "p.crop_path",
      "p.crop_width",
      "p.crop_height",
      "p.crop_json",
      eb
        .selectFrom("handoff as h")
        .select("h.from_participant_id")
        .whereRef("h.notebook_id", "=", "p.notebook_id")
        .whereRef("h.handed_at", "<=", "p.created_at")
        .where("h.from_participant_id", "is not", null)
        .orderBy("h.handed_at", "desc")
        .limit(1)
        .as("suggested_author"),
    ])
    .where("p.id", "=", pageId)
    .executeTakeFirst();
  if (!r) return null;
  const crop = r.crop_path ? parseCropJson(r.crop_json, r.crop_width, r.crop_height) : null;
  return {
    id: r.id,
    groupId: r.group_id,
    groupName: r.group_name,
    cohortName: r.cohort_name,
    notebookLabel: r.label,
    pageNumber: r.page_number,
    status: r.status,
    layout: r.layout,
    authorId: r.author_participant_id,
    entryDate: r.entry_date,
    width: r.width,
    height: r.height,
    rotation: r.rotation,
    uploadedAt: r.created_at,
    approvedVersion: r.approved_version,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    suggestedAuthorId: r.suggested_author ?? null,
    crop: crop && {
      ...crop,
      key: path.basename(r.crop_path!, ".jpg").replace(/^.*-crop-/, ""),
    },
  };
}

/** Review decisions on a page (approve, reopen, restore, flags) from the audit log, newest first. */
export async function listPageEvents(pageId: number) {
  const rows = await getDb()
    .selectFrom("audit_log as l")
    .leftJoin("staff_user as s", "s.id", "l.actor_staff_id")
    // A writer's own request (hiding their page) names them by pen name.
    .leftJoin("participant as a", "a.id", "l.actor_participant_id")
    .select((eb) => [
      "l.id",
      "l.at",
      "l.action",
      "l.detail",
      eb.fn.coalesce("s.display_name", "a.pen_name").as("by"),
    ])
    .where("l.entity_type", "=", "page")
    .where("l.entity_id", "=", String(pageId))
    .where("l.action", "in", PAGE_EVENT_ACTIONS)
    .orderBy("l.id", "desc")
    .limit(50)
    .execute();
  return rows.flatMap(({ id, at, action, by }) =>
    isPageEventAction(action) ? [{ id, at, action, by }] : [],
  );
}

/**
 * The one rule for what a group sees: approved, not hidden, the writer's pages not stopped
 * (利用停止), no open 見守り flag.
 */
export function visibleToGroup(groupId: number) {
  return (eb: ExpressionBuilder<Database & { p: PageTable }, "p">) =>
    eb.and([
      eb("p.group_id", "=", groupId),
      eb("p.status", "=", "approved"),
      eb("p.hidden", "=", 0),
      // 利用停止: staff stopped showing every page of the writer (participant-rights model).
      eb.not(
        eb.exists(
          eb
            .selectFrom("participant as w")
            .select("w.id")
            .whereRef("w.id", "=", "p.author_participant_id")
            .where("w.pages_hidden_at", "is not", null),
        ),
      ),
      eb.not(
        eb.exists(
          eb
            .selectFrom("watch_flag as f")
            .select("f.id")
            .whereRef("f.page_id", "=", "p.id")
            .where("f.status", "=", "open"),
        ),
      ),
    ]);
}

export interface GroupDiaryPage {
  id: number;
  pageNumber: number;
  /** The writer, so that the page can offer them (and only them) to ask for it to be hidden. */
  authorParticipantId: number | null;
  penName: string | null;
  entryDate: string | null;
  layout: PageLayout | null;
  text: string;
  lines: string[];
}

/**
 * What a group sees of its diary: approved pages with their approved text, newest first. Pages
 * that are hidden or have an open 見守り flag are left out; flags themselves never leave staff.
 */
export async function listApprovedPagesForGroup(
  groupId: number,
  options: { limit?: number; offset?: number } = {},
): Promise<GroupDiaryPage[]> {
  const rows = await groupDiaryQuery(groupId, options).execute();
  return rows.map((r) => ({
    id: r.id,
    pageNumber: r.page_number,
    authorParticipantId: r.author_participant_id,
    penName: r.pen_name,
    entryDate: r.entry_date,
    layout: r.layout,
    text: r.text,
    lines: parseLines(r.lines_json).map((l) => l.text),
  }));
}

/** The query behind listApprovedPagesForGroup (a test asks SQLite how it runs it). */
export function groupDiaryQuery(groupId: number, options: { limit?: number; offset?: number }) {
  return (
    getDb()
      .selectFrom("page as p")
      .innerJoin("transcription as t", (j) =>
        j.onRef("t.page_id", "=", "p.id").onRef("t.version", "=", "p.approved_version"),
      )
      .leftJoin("participant as a", "a.id", "p.author_participant_id")
      .select([
        "p.id",
        "p.page_number",
        "p.author_participant_id",
        "a.pen_name",
        "p.entry_date",
        "p.layout",
        "t.text",
        "t.lines_json",
      ])
      .where(visibleToGroup(groupId))
      // Undated pages by their upload day in Japan (never a date cut from a UTC timestamp).
      // page_group_diary_idx holds this expression: change both together, or the list sorts
      // every approved page of the group again.
      .orderBy(sql`coalesce(p.entry_date, p.uploaded_on)`, "desc")
      .orderBy("p.page_number", "desc")
      .limit(options.limit ?? 30)
      .offset(options.offset ?? 0)
  );
}

/** How many pages the group's diary shows (the same rule as the list). */
export async function countVisiblePagesForGroup(groupId: number): Promise<number> {
  const row = await getDb()
    .selectFrom("page as p")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(visibleToGroup(groupId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The photo of a page the group may see (same rule as the list), or null: the straightened
 * page crop, or the viewing image for a page read before crops existed.
 */
export async function getVisiblePageImage(
  pageId: number,
  groupId: number,
  size: "thumb" | "view" = "view",
) {
  const row = await getDb()
    .selectFrom("page as p")
    .select(["p.viewing_path", "p.crop_path", "p.thumb_path"])
    .where("p.id", "=", pageId)
    .where(visibleToGroup(groupId))
    .executeTakeFirst();
  if (!row) return null;
  // The timeline's small picture (360 px); the viewer's full page.
  return size === "thumb" ? row.thumb_path : (row.crop_path ?? row.viewing_path);
}

export type StaffImageSize = "thumb" | "view" | "crop";

/** A derived image of any page, for staff: never the original; the crop falls back to the view. */
export async function getStaffPageImage(pageId: number, size: StaffImageSize) {
  const row = await getDb()
    .selectFrom("page")
    .select(["thumb_path", "viewing_path", "crop_path"])
    .where("id", "=", pageId)
    .executeTakeFirst();
  if (!row) return null;
  if (size === "thumb") return row.thumb_path;
  return (size === "crop" ? row.crop_path : null) ?? row.viewing_path;
}

const FILTER_KEYS = {
  cohort: "cohortId",
  group: "groupId",
  room: "roomId",
  author: "authorId",
} as const;

/** Queue filters from a query string (?cohort=&group=&room=&author=); junk is ignored. */
export function parseQueueFilters(params: URLSearchParams): QueueFilters {
  const filters: QueueFilters = {};
  for (const [param, key] of Object.entries(FILTER_KEYS)) {
    const v = params.get(param);
    if (v && /^[1-9][0-9]{0,9}$/.test(v)) filters[key] = Number(v);
  }
  return filters;
}

/** The query string that carries the filters on to the editor and the next page. */
export function queueSearch(filters: QueueFilters): string {
  const params = new URLSearchParams();
  for (const [param, key] of Object.entries(FILTER_KEYS)) {
    const v = filters[key];
    if (v) params.set(param, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

/** Participants who wrote pages now waiting for review (the author filter's choices). */
export async function listQueueAuthors(filters: QueueFilters) {
  return getDb()
    .selectFrom("page")
    .innerJoin("diary_group", "diary_group.id", "page.group_id")
    .innerJoin("participant as a", "a.id", "page.author_participant_id")
    .select(["a.id", "a.pen_name", "a.real_name"])
    .distinct()
    .where("page.status", "=", "needs_review")
    .where(filtered({ ...filters, authorId: null }))
    .orderBy("a.pen_name")
    .execute();
}
