/**
 * Transcription versions of a page and the review decisions on them. Every save is a new version
 * (never an update in place); a save is refused when the page has a newer version than the one
 * the reviewer started from, so two reviewers never overwrite each other silently. Text is stored
 * in NFC. Each saved version is checked for 見守り phrases in the same transaction.
 */
import { diffChars } from "diff";
import { z } from "zod";
import type { PageLayout } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, optionalDate, optionalId } from "~/utils/forms.server";
import {
  deriveLines,
  editedLinesFromText,
  joinLines,
  parseLines,
  tidyEditedLines,
  type Edit,
  type TranscriptLine,
} from "~/utils/transcript";
import { checkForConcerns } from "./watch.server";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

export interface VersionSummary {
  version: number;
  source: "ocr" | "staff";
  by: string | null;
  createdAt: string;
  chars: number;
  restoredFrom: number | null;
  confidence: number | null;
}

export interface Version extends VersionSummary {
  text: string;
  lines: TranscriptLine[];
}

function versionQuery(db: DB, pageId: number) {
  return db
    .selectFrom("transcription as t")
    .leftJoin("staff_user as s", "s.id", "t.created_by_staff_id")
    .select([
      "t.version",
      "t.source",
      "t.text",
      "t.lines_json",
      "t.confidence",
      "t.restored_from",
      "t.created_at",
      "s.display_name as by",
    ])
    .where("t.page_id", "=", pageId);
}

type VersionRow = Awaited<ReturnType<ReturnType<typeof versionQuery>["execute"]>>[number];

function toVersion(r: VersionRow): Version {
  return {
    version: r.version,
    source: r.source,
    by: r.by,
    createdAt: r.created_at,
    chars: Array.from(r.text).length,
    restoredFrom: r.restored_from,
    confidence: r.confidence,
    text: r.text,
    lines: parseLines(r.lines_json),
  };
}

export async function getLatestVersion(pageId: number, db: DB = getDb()) {
  const row = await versionQuery(db, pageId).orderBy("t.version", "desc").executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function getVersion(pageId: number, version: number, db: DB = getDb()) {
  const row = await versionQuery(db, pageId).where("t.version", "=", version).executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function listVersions(pageId: number): Promise<VersionSummary[]> {
  const rows = await versionQuery(getDb(), pageId).orderBy("t.version", "desc").execute();
  return rows.map((r) => {
    const { text: _text, lines: _lines, ...summary } = toVersion(r);
    return summary;
  });
}

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

/** Character-level (code-point) difference between two texts. */
export function diffTexts(from: string, to: string): DiffPart[] {
  return diffChars(from, to).map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value,
  }));
}

export async function compareVersions(pageId: number, a: number, b: number) {
  const [from, to] = await Promise.all([getVersion(pageId, a), getVersion(pageId, b)]);
  if (!from || !to) return null;
  return { from: from.version, to: to.version, parts: diffTexts(from.text, to.text) };
}

export type SaveOutcome =
  | { status: "saved"; version: number; flagsOpened: number }
  | { status: "unchanged"; version: number }
  | {
      status: "conflict";
      theirs: { version: number; by: string | null; createdAt: string };
      /** What changed between the version the reviewer started from and the newer one. */
      changes: DiffPart[];
    };

const EDITABLE = ["needs_review", "ocr_failed"] as const;

async function assertEditable(trx: DB, pageId: number) {
  const page = await trx
    .selectFrom("page")
    .select(["id", "status"])
    .where("id", "=", pageId)
    .executeTakeFirst();
  if (!page) throw new DomainError("error.notFound");
  if (page.status === "approved") throw new DomainError("review.approvedReadOnly");
  if (!(EDITABLE as readonly string[]).includes(page.status))
    throw new DomainError("review.notReady");
  return page;
}

async function conflictWith(
  trx: DB,
  pageId: number,
  baseVersion: number,
  latest: Version,
): Promise<Extract<SaveOutcome, { status: "conflict" }>> {
  const base = baseVersion > 0 ? await getVersion(pageId, baseVersion, trx) : null;
  return {
    status: "conflict",
    theirs: { version: latest.version, by: latest.by, createdAt: latest.createdAt },
    changes: diffTexts(base?.text ?? "", latest.text),
  };
}

async function insertVersion(
  trx: DB,
  pageId: number,
  next: number,
  lines: TranscriptLine[],
  by: StaffBy,
  restoredFrom: number | null = null,
) {
  const text = joinLines(lines);
  await trx
    .insertInto("transcription")
    .values({
      page_id: pageId,
      version: next,
      source: "staff",
      text,
      lines_json: JSON.stringify(lines),
      created_by_staff_id: by.actor.staffId,
      restored_from: restoredFrom,
    })
    .execute();
  const now = new Date().toISOString();
  await trx
    .updateTable("page")
    .set({
      status: "needs_review",
      updated_at: now,
      review_staff_id: by.actor.staffId,
      review_claimed_at: now,
    })
    .where("id", "=", pageId)
    .execute();
  await writeAudit(trx, {
    ...by,
    action: restoredFrom ? "transcription.restore" : "transcription.save",
    entityType: "page",
    entityId: pageId,
    detail: { version: next, ...(restoredFrom ? { restoredFrom } : {}) },
  });
  const flagsOpened = await checkForConcerns(trx, {
    pageId,
    version: next,
    text,
    actor: by.actor,
  });
  return flagsOpened;
}

const MAX_LINES = 400;
const MAX_CHARS = 20_000;

/** The edit as lines of the base version (whole text is matched to the base lines first). */
function resolveEdit(base: TranscriptLine[], edit: Edit) {
  const edited = tidyEditedLines(Array.isArray(edit) ? edit : editedLinesFromText(base, edit.text));
  const chars = edited.reduce((n, e) => n + e.text.length, 0);
  if (edited.length > MAX_LINES || chars > MAX_CHARS) throw new DomainError("review.tooLong");
  return deriveLines(base, edited);
}

/** Saves the edit as a new version on top of `baseVersion` (0 when there was none). */
async function saveWithin(
  trx: DB,
  pageId: number,
  baseVersion: number,
  edit: Edit,
  by: StaffBy,
): Promise<SaveOutcome> {
  await assertEditable(trx, pageId);
  const latest = await getLatestVersion(pageId, trx);
  const latestVersion = latest?.version ?? 0;
  if (latestVersion !== baseVersion) return conflictWith(trx, pageId, baseVersion, latest!);
  const lines = resolveEdit(latest?.lines ?? [], edit);
  if (latest && joinLines(lines) === latest.text && sameBoxes(lines, latest.lines))
    return { status: "unchanged", version: latest.version };
  const flagsOpened = await insertVersion(trx, pageId, latestVersion + 1, lines, by);
  return { status: "saved", version: latestVersion + 1, flagsOpened };
}

function sameBoxes(a: TranscriptLine[], b: TranscriptLine[]) {
  return (
    a.length === b.length &&
    a.every((l, i) => JSON.stringify(l.bbox) === JSON.stringify(b[i]!.bbox))
  );
}

export async function saveTranscription(
  pageId: number,
  baseVersion: number,
  edit: Edit,
  by: StaffBy,
): Promise<SaveOutcome> {
  return getDb()
    .transaction()
    .execute((trx) => saveWithin(trx, pageId, baseVersion, edit, by));
}

/** An older version's text becomes the newest version; nothing in between is lost. */
export async function restoreVersion(
  pageId: number,
  fromVersion: number,
  baseVersion: number,
  by: StaffBy,
): Promise<SaveOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      await assertEditable(trx, pageId);
      const latest = await getLatestVersion(pageId, trx);
      if (!latest) throw new DomainError("error.notFound");
      if (latest.version !== baseVersion) return conflictWith(trx, pageId, baseVersion, latest);
      const old = await getVersion(pageId, fromVersion, trx);
      if (!old) throw new DomainError("error.notFound");
      const next = latest.version + 1;
      const flagsOpened = await insertVersion(trx, pageId, next, old.lines, by, old.version);
      return { status: "saved", version: next, flagsOpened };
    });
}

export type ApproveOutcome =
  { status: "approved"; version: number } | Extract<SaveOutcome, { status: "conflict" }>;

/** Saves what the reviewer has (if it differs) and approves that version, in one transaction. */
export async function approvePage(
  pageId: number,
  baseVersion: number,
  edit: Edit | null,
  by: StaffBy,
): Promise<ApproveOutcome> {
  return getDb()
    .transaction()
    .execute(async (trx): Promise<ApproveOutcome> => {
      let version = baseVersion;
      if (edit) {
        const saved = await saveWithin(trx, pageId, baseVersion, edit, by);
        if (saved.status === "conflict") return saved;
        version = saved.version;
      } else {
        await assertEditable(trx, pageId);
        const latest = await getLatestVersion(pageId, trx);
        if (!latest) throw new DomainError("review.nothingToApprove");
        if (latest.version !== baseVersion) return conflictWith(trx, pageId, baseVersion, latest);
      }
      if (version === 0) throw new DomainError("review.nothingToApprove");
      const now = new Date().toISOString();
      await trx
        .updateTable("page")
        .set({
          status: "approved",
          approved_version: version,
          approved_by_staff_id: by.actor.staffId,
          approved_at: now,
          review_staff_id: null,
          review_claimed_at: null,
          updated_at: now,
        })
        .where("id", "=", pageId)
        .execute();
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

export async function reopenPage(pageId: number, by: StaffBy) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page")
        .select(["status", "approved_version"])
        .where("id", "=", pageId)
        .executeTakeFirst();
      if (!page) throw new DomainError("error.notFound");
      if (page.status !== "approved") throw new DomainError("review.notApproved");
      const now = new Date().toISOString();
      await trx
        .updateTable("page")
        .set({
          status: "needs_review",
          approved_version: null,
          approved_by_staff_id: null,
          approved_at: null,
          review_staff_id: by.actor.staffId,
          review_claimed_at: now,
          updated_at: now,
        })
        .where("id", "=", pageId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "page.reopen",
        entityType: "page",
        entityId: pageId,
        detail: { wasApproved: page.approved_version },
      });
    });
}

export const PageDetailsSchema = z.object({
  authorId: optionalId(),
  entryDate: optionalDate(),
  pageNumber: z
    .string({ error: "error.required" })
    .regex(/^[1-9][0-9]{0,4}$/, "review.pageNumberInvalid")
    .transform(Number),
  layout: z.enum(["horizontal", "vertical"] satisfies PageLayout[], { error: "error.invalid" }),
});

export type PageDetailsInput = z.output<typeof PageDetailsSchema>;

/**
 * Author (a member of the group, now or earlier), entry date, page number and layout. A page
 * number already used in the notebook is swapped with that page, as the station's reordering does.
 */
export async function updatePageDetails(pageId: number, input: PageDetailsInput, by: StaffBy) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page")
        .select(["id", "group_id", "notebook_id", "page_number"])
        .where("id", "=", pageId)
        .executeTakeFirst();
      if (!page) throw new DomainError("error.notFound");
      if (input.authorId !== null) {
        const member = await trx
          .selectFrom("group_member")
          .select("id")
          .where("group_id", "=", page.group_id)
          .where("participant_id", "=", input.authorId)
          .executeTakeFirst();
        if (!member) throw new DomainError("review.authorNotMember", "authorId");
      }
      if (input.pageNumber !== page.page_number) {
        const other = await trx
          .selectFrom("page")
          .select("id")
          .where("notebook_id", "=", page.notebook_id)
          .where("page_number", "=", input.pageNumber)
          .where("id", "!=", pageId)
          .execute();
        if (other.length > 0)
          await trx
            .updateTable("page")
            .set({ page_number: page.page_number })
            .where(
              "id",
              "in",
              other.map((o) => o.id),
            )
            .execute();
      }
      await trx
        .updateTable("page")
        .set({
          author_participant_id: input.authorId,
          entry_date: input.entryDate,
          page_number: input.pageNumber,
          layout: input.layout,
          updated_at: new Date().toISOString(),
        })
        .where("id", "=", pageId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "page.details",
        entityType: "page",
        entityId: pageId,
        detail: { ...input, previousPageNumber: page.page_number },
      });
    });
}
