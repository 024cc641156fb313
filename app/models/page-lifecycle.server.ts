/**
 * The life of a page, in one place: the only code that changes `page.status` or inserts a
 * transcription version, for the OCR runner and for staff alike.
 *
 *   upload → queued → (claim) ocr → needs_review ⇄ (save, restore) → approved → (reopen) …
 *                       ocr → queued (retry, lease expired) | ocr_failed (last attempt)
 *   queued | ocr | needs_review | ocr_failed → queued (rotate, layout, re-run; before review)
 *   queued | ocr | needs_review | ocr_failed → deleted (before review, no open 見守り flag)
 *
 * Every transition is one function running in one transaction. Its precondition is checked
 * inside that transaction — by a conditional `UPDATE … WHERE status IN (…)` and its row count, or
 * by a read on the transaction — so nothing can change the page between the check and the write.
 * An illegal transition is a DomainError with a Japanese message and writes nothing. The OCR job
 * and its page always change together. Image files are never touched here: callers do image work
 * before the transaction and remove files the database no longer points to after it.
 */
import type { Updateable } from "kysely";
import type { LayoutSetting, PageStatus, PageTable } from "../../db/schema";
import type { MessageKey } from "~/i18n/i18n";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { dialectOf, getDb, type DB } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { codePointLength, cutCodePoints } from "~/utils/text";
import {
  deriveLines,
  editedLinesFromText,
  joinLines,
  tidyEditedLines,
  type Edit,
  type TranscriptLine,
} from "~/utils/transcript";
import {
  diffTexts,
  editBaseOf,
  getLatestVersion,
  getVersion,
  type DiffPart,
  type EditBase,
  type Version,
} from "./transcriptions.server";
import { reanchorSeeds } from "./seeds.server";
import { checkForConcerns } from "./watch.server";

type By = { actor: Actor; ip?: string };
type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

const BEFORE_REVIEW = ["queued", "ocr", "needs_review", "ocr_failed"] as const;
const EDITABLE = ["needs_review", "ocr_failed"] as const;

/**
 * Every transition: the statuses it starts from, the status it leads to (null: the page is
 * gone), and the message a refusal shows. Tests walk this table.
 */
export const PAGE_TRANSITIONS = {
  // From "ocr" too: before this module, an expired lease put the job back but left its page at ocr.
  claim: { from: ["queued", "ocr"], to: "ocr", refused: "scan.notQueued" },
  ocrDone: { from: ["ocr"], to: "needs_review", refused: "scan.notReading" },
  ocrRetry: { from: ["ocr"], to: "queued", refused: "scan.notReading" },
  ocrFailed: { from: ["ocr"], to: "ocr_failed", refused: "scan.notReading" },
  leaseExpired: { from: ["ocr"], to: "queued", refused: "scan.notReading" },
  requeue: { from: BEFORE_REVIEW, to: "queued", refused: "scan.alreadyReviewed" },
  delete: { from: BEFORE_REVIEW, to: null, refused: "scan.alreadyReviewed" },
  save: { from: EDITABLE, to: "needs_review", refused: "review.notEditable" },
  approve: { from: EDITABLE, to: "approved", refused: "review.notEditable" },
  reopen: { from: ["approved"], to: "needs_review", refused: "review.notApproved" },
} as const satisfies Record<
  string,
  { from: readonly PageStatus[]; to: PageStatus | null; refused: MessageKey }
>;

export type PageTransition = keyof typeof PAGE_TRANSITIONS;

const nowIso = () => new Date().toISOString();

/** The refusal of `name` for a page in `status` (null: no such page), with the clearest message. */
function refusal(name: PageTransition, status: PageStatus | null): DomainError {
  if (status === null) return new DomainError("error.notFound");
  if (name === "save" || name === "approve") {
    if (status === "approved") return new DomainError("review.approvedReadOnly");
    return new DomainError("review.notReady");
  }
  return new DomainError(PAGE_TRANSITIONS[name].refused);
}

async function statusOf(trx: DB, pageId: number): Promise<PageStatus | null> {
  const row = await trx
    .selectFrom("page")
    .select("status")
    .where("id", "=", pageId)
    .executeTakeFirst();
  return row?.status ?? null;
}

/**
 * Moves the page along `name` if, inside this transaction, its status allows it; otherwise
 * throws the refusal (and the caller's transaction rolls back).
 */
async function move(
  trx: DB,
  pageId: number,
  name: Exclude<PageTransition, "delete">,
  set: Updateable<PageTable> = {},
) {
  const t = PAGE_TRANSITIONS[name];
  const result = await trx
    .updateTable("page")
    .set({ ...set, status: t.to, updated_at: nowIso() })
    .where("id", "=", pageId)
    .where("status", "in", t.from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw refusal(name, await statusOf(trx, pageId));
}

/** Checks, on the transaction, that `name` may start from the page's status now. */
async function expectStatus(trx: DB, pageId: number, name: PageTransition) {
  const status = await statusOf(trx, pageId);
  if (status === null || !(PAGE_TRANSITIONS[name].from as readonly string[]).includes(status))
    throw refusal(name, status);
}

/** A page the station may still change: before review, and no staff version yet. */
async function expectBeforeReview(trx: DB, pageId: number, groupId: number, name: PageTransition) {
  const page = await trx
    .selectFrom("page")
    .selectAll()
    .where("id", "=", pageId)
    .where("group_id", "=", groupId)
    .executeTakeFirst();
  if (!page) throw new DomainError("error.notFound");
  if (!(PAGE_TRANSITIONS[name].from as readonly string[]).includes(page.status))
    throw refusal(name, page.status);
  const staffVersion = await trx
    .selectFrom("transcription")
    .select("id")
    .where("page_id", "=", pageId)
    .where("source", "=", "staff")
    .executeTakeFirst();
  if (staffVersion) throw new DomainError("scan.alreadyReviewed");
  return page;
}

/** Cancels unfinished OCR jobs of the page and queues a new one. */
async function queueJob(trx: DB, pageId: number) {
  await trx
    .updateTable("ocr_job")
    .set({ state: "cancelled", finished_at: nowIso() })
    .where("page_id", "=", pageId)
    .where("state", "in", ["queued", "running"])
    .execute();
  await trx.insertInto("ocr_job").values({ page_id: pageId }).execute();
}

// ---------------------------------------------------------------------------------------------
// Upload and the station

export interface NewPage {
  groupId: number;
  notebookId: number;
  layoutSetting: LayoutSetting;
  imageSha256: string;
  originalPath: string;
  viewingPath: string;
  thumbPath: string;
  width: number;
  height: number;
  /** The upload day in Japan (`localDate()`). */
  uploadedOn: string;
}

/** upload → queued: the page, numbered after the notebook's last page, and its OCR job. */
export async function createPage(
  page: NewPage,
  by: By & { actor: { type: "staff"; staffId: number } },
): Promise<{ pageId: number; pageNumber: number }> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const last = await trx
        .selectFrom("page")
        .select((eb) => eb.fn.max("page_number").as("n"))
        .where("notebook_id", "=", page.notebookId)
        .executeTakeFirst();
      const pageNumber = Number(last?.n ?? 0) + 1;
      const { id } = await trx
        .insertInto("page")
        .values({
          group_id: page.groupId,
          notebook_id: page.notebookId,
          page_number: pageNumber,
          status: "queued",
          layout_setting: page.layoutSetting,
          image_sha256: page.imageSha256,
          original_path: page.originalPath,
          viewing_path: page.viewingPath,
          thumb_path: page.thumbPath,
          width: page.width,
          height: page.height,
          uploaded_by_staff_id: by.actor.staffId,
          uploaded_on: page.uploadedOn,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("ocr_job").values({ page_id: id }).execute();
      await writeAudit(trx, {
        ...by,
        action: "page.create",
        entityType: "page",
        entityId: id,
        detail: { groupId: page.groupId, pageNumber },
      });
      return { pageId: id, pageNumber };
    });
}

export type RequeueChange =
  | {
      kind: "rotate";
      rotation: number;
      derived: { viewingPath: string; thumbPath: string; width: number; height: number };
    }
  | { kind: "layout"; layout: LayoutSetting }
  | { kind: "rerun" };

/**
 * Before review → queued: rotation (with the images derived for it), a layout choice, or simply
 * another reading. Returns the image files the page no longer uses, for the caller to remove.
 */
export async function requeuePage(
  groupId: number,
  pageId: number,
  change: RequeueChange,
  by: By,
): Promise<{ unusedFiles: Array<string | null> }> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await expectBeforeReview(trx, pageId, groupId, "requeue");
      let set: Updateable<PageTable> = { ocr_error: null };
      let unusedFiles: Array<string | null> = [];
      if (change.kind === "rotate") {
        set = {
          ...set,
          rotation: change.rotation,
          viewing_path: change.derived.viewingPath,
          thumb_path: change.derived.thumbPath,
          width: change.derived.width,
          height: change.derived.height,
          // The page crop belongs to the old orientation; OCR derives a new one.
          crop_path: null,
          crop_width: null,
          crop_height: null,
          crop_json: null,
        };
        unusedFiles = [
          page.crop_path,
          ...(change.derived.viewingPath !== page.viewing_path
            ? [page.viewing_path, page.thumb_path]
            : []),
        ];
      } else if (change.kind === "layout") {
        set = { ...set, layout_setting: change.layout };
      }
      await move(trx, pageId, "requeue", set);
      await queueJob(trx, pageId);
      await writeAudit(trx, {
        ...by,
        action:
          change.kind === "rotate"
            ? "page.rotate"
            : change.kind === "layout"
              ? "page.layout"
              : "page.ocr_rerun",
        entityType: "page",
        entityId: pageId,
        detail:
          change.kind === "rotate"
            ? { rotation: change.rotation }
            : change.kind === "layout"
              ? { layout: change.layout }
              : {},
      });
      return { unusedFiles };
    });
}

/**
 * Before review → gone: the page, its drafts, its jobs and flags. A page that raised a 見守り flag
 * stays until someone has looked at the flag — checked in the same transaction as the delete, so
 * a flag raised by an OCR result a moment earlier is never deleted unseen.
 */
export async function deletePage(
  groupId: number,
  pageId: number,
  by: By,
): Promise<{ unusedFiles: Array<string | null> }> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await expectBeforeReview(trx, pageId, groupId, "delete");
      const openFlag = await trx
        .selectFrom("watch_flag")
        .select("id")
        .where("page_id", "=", pageId)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (openFlag) throw new DomainError("scan.openFlag");
      const erased = await eraseRowsOfPages(trx, [pageId], {
        status: PAGE_TRANSITIONS.delete.from,
      });
      if (erased.pages !== 1) throw refusal("delete", await statusOf(trx, pageId));
      await writeAudit(trx, {
        ...by,
        action: "page.delete",
        entityType: "page",
        entityId: pageId,
        detail: { groupId, pageNumber: page.page_number },
      });
      return {
        unusedFiles: [page.original_path, page.viewing_path, page.thumb_path, page.crop_path],
      };
    });
}

export interface ErasedRows {
  pages: number;
  transcriptions: number;
  watchFlags: number;
  ocrJobs: number;
  suggestions: number;
  /** Seeds kept without their words, as provenance 「削除されたページ」. */
  seedsEmptied: number;
  decisionsEmptied: number;
}

/**
 * Removes pages and every row that holds their words, inside the caller's transaction: the
 * transcription versions, 見守り flags, OCR jobs and seed suggestions go; a seed outlives its
 * page as provenance 「削除されたページ」 (category, tags, title and decision stay; quote, note,
 * the link to the version and the reject note go, also from the undo snapshots of its decisions). With `status`,
 * only pages in one of those statuses are removed (the station's delete). Files are the caller's
 * business, after the commit.
 */
export async function eraseRowsOfPages(
  trx: DB,
  pageIds: number[],
  options: { status?: readonly PageStatus[] } = {},
): Promise<ErasedRows> {
  const none: ErasedRows = {
    pages: 0,
    transcriptions: 0,
    watchFlags: 0,
    ocrJobs: 0,
    suggestions: 0,
    seedsEmptied: 0,
    decisionsEmptied: 0,
  };
  if (pageIds.length === 0) return none;
  let scope = trx.selectFrom("page").select("id").where("id", "in", pageIds);
  if (options.status) scope = scope.where("status", "in", options.status);
  const ids = (await scope.execute()).map((r) => r.id);
  if (ids.length === 0) return none;
  const seeds = await trx.selectFrom("seed").select("id").where("page_id", "in", ids).execute();
  const seedIds = seeds.map((r) => r.id);
  let decisionsEmptied = 0;
  if (seedIds.length > 0) {
    await trx
      .updateTable("seed")
      .set({
        page_id: null,
        transcription_id: null,
        transcription_version: null,
        quote: "",
        note: "",
        reject_note: "",
        page_deleted_at: nowIso(),
      })
      .where("id", "in", seedIds)
      .execute();
    const decisions = await trx
      .selectFrom("seed_decision")
      .select(["id", "before_json"])
      .where("seed_id", "in", seedIds)
      .execute();
    for (const d of decisions) {
      const before = JSON.parse(d.before_json) as Record<string, unknown>;
      if (!before.reject_note) continue;
      await trx
        .updateTable("seed_decision")
        .set({ before_json: JSON.stringify({ ...before, reject_note: "" }) })
        .where("id", "=", d.id)
        .execute();
      decisionsEmptied++;
    }
  }
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const suggestions = count(
    await trx.deleteFrom("seed_suggestion").where("page_id", "in", ids).executeTakeFirst(),
  );
  await trx.deleteFrom("seed_suggestion_run").where("page_id", "in", ids).execute();
  const watchFlags = count(
    await trx.deleteFrom("watch_flag").where("page_id", "in", ids).executeTakeFirst(),
  );
  const transcriptions = count(
    await trx.deleteFrom("transcription").where("page_id", "in", ids).executeTakeFirst(),
  );
  const ocrJobs = count(
    await trx.deleteFrom("ocr_job").where("page_id", "in", ids).executeTakeFirst(),
  );
  const pages = count(await trx.deleteFrom("page").where("id", "in", ids).executeTakeFirst());
  return {
    pages,
    transcriptions,
    watchFlags,
    ocrJobs,
    suggestions,
    seedsEmptied: seedIds.length,
    decisionsEmptied,
  };
}

// ---------------------------------------------------------------------------------------------
// The OCR queue

export interface ClaimedJob {
  id: number;
  page_id: number;
  attempts: number;
}

/**
 * queued → ocr: the oldest runnable job, leased to `owner`, and its page, in one transaction.
 * The claim is one `UPDATE … RETURNING`: SQLite serialises writers, so one runner wins a job.
 */
export async function claimNextJob(
  db: DB,
  owner: string,
  leaseMs: number,
): Promise<ClaimedJob | undefined> {
  return db.transaction().execute(async (trx) => {
    const now = nowIso();
    const next = await trx
      .selectFrom("ocr_job")
      .select("id")
      .where("state", "=", "queued")
      .where("run_after", "<=", now)
      .orderBy("id")
      .limit(1)
      // PostgreSQL: a job another worker's claim holds is passed over, not waited for. (Claims
      // are also serialised by the transaction lock; this keeps them apart without it.)
      .$if(dialectOf(trx) === "postgres", (q) => q.forUpdate().skipLocked())
      .executeTakeFirst();
    if (!next) return undefined;
    const job = await trx
      .updateTable("ocr_job")
      .set((eb) => ({
        state: "running",
        lease_owner: owner,
        lease_until: new Date(Date.now() + leaseMs).toISOString(),
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", next.id)
      .where("state", "=", "queued")
      .returning(["id", "page_id", "attempts"])
      .executeTakeFirst();
    if (!job) return undefined;
    // A queued job whose page is no longer waiting (it cannot happen through this module, but a
    // job must never run for a page in review) is cancelled instead.
    const moved = await trx
      .updateTable("page")
      .set({ status: "ocr", updated_at: now })
      .where("id", "=", job.page_id)
      .where("status", "in", PAGE_TRANSITIONS.claim.from)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) {
      await trx
        .updateTable("ocr_job")
        .set({ state: "cancelled", finished_at: now, lease_owner: null, lease_until: null })
        .where("id", "=", job.id)
        .execute();
      return undefined;
    }
    return job;
  });
}

/** ocr → queued for every job whose lease expired (its runner died or hung). */
export async function requeueExpiredJobs(db: DB): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const expired = await trx
      .selectFrom("ocr_job")
      .select(["id", "page_id"])
      .where("state", "=", "running")
      .where("lease_until", "<", nowIso())
      .execute();
    if (expired.length === 0) return 0;
    await trx
      .updateTable("ocr_job")
      .set({ state: "queued", lease_owner: null, lease_until: null })
      .where(
        "id",
        "in",
        expired.map((j) => j.id),
      )
      .where("state", "=", "running")
      .execute();
    await trx
      .updateTable("page")
      .set({ status: PAGE_TRANSITIONS.leaseExpired.to, updated_at: nowIso() })
      .where(
        "id",
        "in",
        expired.map((j) => j.page_id),
      )
      .where("status", "in", PAGE_TRANSITIONS.leaseExpired.from)
      .execute();
    return expired.length;
  });
}

/** Keeps the lease of a job being worked on. */
export async function renewLease(db: DB, jobId: number, owner: string, leaseMs: number) {
  await db
    .updateTable("ocr_job")
    .set({ lease_until: new Date(Date.now() + leaseMs).toISOString() })
    .where("id", "=", jobId)
    .where("lease_owner", "=", owner)
    .where("state", "=", "running")
    .execute();
}

async function holdsLease(trx: DB, jobId: number, owner: string) {
  const row = await trx
    .selectFrom("ocr_job")
    .select(["state", "lease_owner"])
    .where("id", "=", jobId)
    .executeTakeFirst();
  return row?.state === "running" && row.lease_owner === owner;
}

/** Cancels a job whose page has gone. */
export async function cancelJob(db: DB, jobId: number) {
  await db
    .updateTable("ocr_job")
    .set({ state: "cancelled", finished_at: nowIso() })
    .where("id", "=", jobId)
    .execute();
}

export interface OcrDraft {
  text: string;
  lines: TranscriptLine[];
  confidence: number;
  layout: "horizontal" | "vertical";
  timings: Record<string, number>;
  /** How the pipeline made the draft (`OcrPath`), kept with the job. */
  path?: unknown;
}

export interface OcrCrop {
  cropPath: string;
  width: number;
  height: number;
  angle: number;
  left: number;
  top: number;
}

/**
 * ocr → needs_review with the draft as the next version, checked for 見守り phrases, written
 * only while `owner` still holds the job (a lost lease or a cancelled job drops the result).
 * Returns whether it was stored and the crop file the page no longer uses.
 */
export async function completeOcr(
  db: DB,
  job: { id: number; pageId: number; owner: string },
  draft: OcrDraft,
  crop: OcrCrop | null,
): Promise<{ stored: boolean; unusedCrop: string | null }> {
  return db.transaction().execute(async (trx) => {
    if (!(await holdsLease(trx, job.id, job.owner)))
      return { stored: false, unusedCrop: crop?.cropPath ?? null };
    const before = await trx
      .selectFrom("page")
      .select("crop_path")
      .where("id", "=", job.pageId)
      .executeTakeFirst();
    await move(trx, job.pageId, "ocrDone", {
      layout: draft.layout,
      ocr_error: null,
      ...(crop && {
        crop_path: crop.cropPath,
        crop_width: crop.width,
        crop_height: crop.height,
        crop_json: JSON.stringify({ angle: crop.angle, left: crop.left, top: crop.top }),
      }),
    });
    await insertVersion(trx, job.pageId, {
      source: "ocr",
      lines: draft.lines.map((l) => ({ ...l, text: l.text.normalize("NFC") })),
      text: draft.text.normalize("NFC"),
      confidence: draft.confidence,
      layout: draft.layout,
      ocrJobId: job.id,
      timings: draft.timings,
      actor: { type: "system" },
    });
    await trx
      .updateTable("ocr_job")
      .set({
        state: "done",
        finished_at: nowIso(),
        last_error: null,
        path_json: draft.path === undefined ? null : JSON.stringify(draft.path),
      })
      .where("id", "=", job.id)
      .execute();
    return { stored: true, unusedCrop: crop ? (before?.crop_path ?? null) : null };
  });
}

/** ocr → queued (another attempt after a back-off) or ocr_failed after the last attempt. */
export async function failOcr(
  db: DB,
  job: { id: number; pageId: number; owner: string; attempts: number },
  message: string,
  options: { maxAttempts: number; backoffMs: number },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await holdsLease(trx, job.id, job.owner))) return;
    const final = job.attempts >= options.maxAttempts;
    const reason = cutCodePoints(message, 500);
    await trx
      .updateTable("ocr_job")
      .set({
        state: final ? "failed" : "queued",
        last_error: reason,
        lease_owner: null,
        lease_until: null,
        run_after: new Date(Date.now() + (final ? 0 : options.backoffMs)).toISOString(),
        finished_at: final ? nowIso() : null,
      })
      .where("id", "=", job.id)
      .execute();
    await move(trx, job.pageId, final ? "ocrFailed" : "ocrRetry", {
      ocr_error: final ? reason : null,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Review

export type SaveOutcome =
  | { status: "saved"; version: number; flagsOpened: number }
  | { status: "unchanged"; version: number }
  | {
      status: "conflict";
      theirs: { version: number; by: string | null; createdAt: string; hash: string };
      /** What changed between the version the reviewer started from and the newer one. */
      changes: DiffPart[];
    };

type Conflict = Extract<SaveOutcome, { status: "conflict" }>;

export type ApproveOutcome = { status: "approved"; version: number } | Conflict;

/** Thrown inside a transaction to roll it back and answer with the conflict instead. */
class ConflictSignal extends Error {
  constructor(readonly conflict: Conflict) {
    super("conflict");
  }
}

async function withConflicts<T>(run: (trx: DB) => Promise<T>): Promise<T | Conflict> {
  try {
    return await getDb().transaction().execute(run);
  } catch (error) {
    if (error instanceof ConflictSignal) return error.conflict;
    throw error;
  }
}

async function conflictWith(
  trx: DB,
  pageId: number,
  baseVersion: number,
  latest: Version,
): Promise<Conflict> {
  const base = baseVersion > 0 ? await getVersion(pageId, baseVersion, trx) : null;
  return {
    status: "conflict",
    theirs: {
      version: latest.version,
      by: latest.by,
      createdAt: latest.createdAt,
      hash: editBaseOf(pageId, latest).hash,
    },
    changes: diffTexts(base?.text ?? "", latest.text),
  };
}

/**
 * Reads the newest version inside the transaction and checks the edit was made on this page. A
 * newer version is a conflict (another reviewer saved); the same version with another hash means
 * the form's text was not this page's text, which is refused outright (decision 009).
 */
async function checkBase(trx: DB, pageId: number, base: EditBase): Promise<Version | null> {
  if (base.pageId !== pageId) throw new DomainError("review.wrongPage");
  const latest = await getLatestVersion(pageId, trx);
  const latestVersion = latest?.version ?? 0;
  const started =
    base.version === latestVersion
      ? latest
      : base.version === 0
        ? null
        : base.version > 0 && base.version < latestVersion
          ? await getVersion(pageId, base.version, trx)
          : undefined;
  // Also an older base must be this page's own, or the conflict panel would offer a foreign text.
  if (started === undefined || editBaseOf(pageId, started).hash !== base.hash)
    throw new DomainError("review.wrongPage");
  if (latestVersion !== base.version)
    throw new ConflictSignal(await conflictWith(trx, pageId, base.version, latest!));
  return latest;
}

/**
 * The next version of the page's text (OCR draft or staff edit), checked for 見守り phrases in
 * the same transaction. Versions are numbered here only.
 */
async function insertVersion(
  trx: DB,
  pageId: number,
  version: {
    source: "ocr" | "staff";
    lines: TranscriptLine[];
    text?: string;
    actor: Actor;
    ip?: string;
    restoredFrom?: number | null;
    confidence?: number;
    layout?: "horizontal" | "vertical";
    ocrJobId?: number;
    timings?: Record<string, number>;
  },
): Promise<{ version: number; flagsOpened: number }> {
  const latest = await getLatestVersion(pageId, trx);
  const next = (latest?.version ?? 0) + 1;
  const text = version.text ?? joinLines(version.lines);
  await trx
    .insertInto("transcription")
    .values({
      page_id: pageId,
      version: next,
      source: version.source,
      text,
      lines_json: JSON.stringify(version.lines),
      created_by_staff_id: version.actor.type === "staff" ? version.actor.staffId : null,
      restored_from: version.restoredFrom ?? null,
      ...(version.source === "ocr" && {
        confidence: version.confidence ?? null,
        layout: version.layout ?? null,
        ocr_job_id: version.ocrJobId ?? null,
        timings_json: JSON.stringify(version.timings ?? {}),
      }),
    })
    .execute();
  if (version.source === "staff")
    await writeAudit(trx, {
      actor: version.actor,
      ip: version.ip,
      action: version.restoredFrom ? "transcription.restore" : "transcription.save",
      entityType: "page",
      entityId: pageId,
      detail: {
        version: next,
        ...(version.restoredFrom ? { restoredFrom: version.restoredFrom } : {}),
      },
    });
  const flagsOpened = await checkForConcerns(trx, {
    pageId,
    version: next,
    text,
    actor: version.actor,
  });
  return { version: next, flagsOpened };
}

const MAX_LINES = 400;
const MAX_CHARS = 20_000;

/** The edit as lines of the base version (whole text is matched to the base lines first). */
function resolveEdit(base: TranscriptLine[], edit: Edit) {
  const edited = tidyEditedLines(Array.isArray(edit) ? edit : editedLinesFromText(base, edit.text));
  const chars = edited.reduce((n, e) => n + codePointLength(e.text), 0);
  if (edited.length > MAX_LINES || chars > MAX_CHARS) throw new DomainError("review.tooLong");
  return deriveLines(base, edited);
}

function sameBoxes(a: TranscriptLine[], b: TranscriptLine[]) {
  return (
    a.length === b.length &&
    a.every((l, i) => JSON.stringify(l.bbox) === JSON.stringify(b[i]!.bbox))
  );
}

/** needs_review | ocr_failed → needs_review with the edit as a new version (none if unchanged). */
async function saveWithin(
  trx: DB,
  pageId: number,
  base: EditBase,
  edit: Edit,
  by: StaffBy,
): Promise<Exclude<SaveOutcome, Conflict>> {
  const now = nowIso();
  // The reviewer's claim is renewed with every save.
  await move(trx, pageId, "save", { review_staff_id: by.actor.staffId, review_claimed_at: now });
  const latest = await checkBase(trx, pageId, base);
  const lines = resolveEdit(latest?.lines ?? [], edit);
  if (latest && joinLines(lines) === latest.text && sameBoxes(lines, latest.lines))
    return { status: "unchanged", version: latest.version };
  const saved = await insertVersion(trx, pageId, { source: "staff", lines, ...by });
  return { status: "saved", ...saved };
}

export async function saveTranscription(
  pageId: number,
  base: EditBase,
  edit: Edit,
  by: StaffBy,
): Promise<SaveOutcome> {
  return withConflicts((trx) => saveWithin(trx, pageId, base, edit, by));
}

/** An older version's text becomes the newest version; nothing in between is lost. */
export async function restoreVersion(
  pageId: number,
  fromVersion: number,
  base: EditBase,
  by: StaffBy,
): Promise<SaveOutcome> {
  return withConflicts(async (trx) => {
    await move(trx, pageId, "save", {
      review_staff_id: by.actor.staffId,
      review_claimed_at: nowIso(),
    });
    const latest = await checkBase(trx, pageId, base);
    if (!latest) throw new DomainError("error.notFound");
    const old = await getVersion(pageId, fromVersion, trx);
    if (!old) throw new DomainError("error.notFound");
    const saved = await insertVersion(trx, pageId, {
      source: "staff",
      lines: old.lines,
      restoredFrom: old.version,
      ...by,
    });
    return { status: "saved" as const, ...saved };
  });
}

/** Saves what the reviewer has (if it differs) and approves that version, in one transaction. */
export async function approvePage(
  pageId: number,
  base: EditBase,
  edit: Edit | null,
  by: StaffBy,
): Promise<ApproveOutcome> {
  return withConflicts(async (trx): Promise<ApproveOutcome> => {
    let version: number;
    if (edit) {
      version = (await saveWithin(trx, pageId, base, edit, by)).version;
    } else {
      await expectStatus(trx, pageId, "approve");
      const latest = await checkBase(trx, pageId, base);
      if (!latest) throw new DomainError("review.nothingToApprove");
      version = latest.version;
    }
    if (version === 0) throw new DomainError("review.nothingToApprove");
    const now = nowIso();
    await move(trx, pageId, "approve", {
      approved_version: version,
      approved_by_staff_id: by.actor.staffId,
      approved_at: now,
      review_staff_id: null,
      review_claimed_at: null,
    });
    // Seeds tagged on an earlier approved text follow the words to the new one, or say 要確認.
    await reanchorSeeds(trx, pageId, version);
    await writeAudit(trx, {
      ...by,
      action: "page.approve",
      entityType: "page",
      entityId: pageId,
      detail: { version },
    });
    return { status: "approved", version };
  });
}

/** approved → needs_review: the page goes back to review (and off the group's page). */
export async function reopenPage(pageId: number, by: StaffBy) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page")
        .select("approved_version")
        .where("id", "=", pageId)
        .executeTakeFirst();
      await move(trx, pageId, "reopen", {
        approved_version: null,
        approved_by_staff_id: null,
        approved_at: null,
        review_staff_id: by.actor.staffId,
        review_claimed_at: nowIso(),
      });
      await writeAudit(trx, {
        ...by,
        action: "page.reopen",
        entityType: "page",
        entityId: pageId,
        detail: { wasApproved: page?.approved_version ?? null },
      });
    });
}
