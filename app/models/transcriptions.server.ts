/**
 * Reading transcription versions of a page (every save is a new version, never an update in
 * place; versions are written only by page-lifecycle.server.ts), comparing them, the base an edit
 * is made on, and the page details a reviewer sets (writer, date, number, layout).
 */
import { createHash } from "node:crypto";
import { diffChars } from "diff";
import { z } from "zod";
import type { PageLayout } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, optionalDate, optionalId } from "~/utils/forms.server";
import { parseLines, type TranscriptLine } from "~/utils/transcript";
import { notesOfPath, type OcrNote } from "~/ocr/path";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

export interface VersionSummary {
  version: number;
  source: "ocr" | "staff";
  by: string | null;
  createdAt: string;
  chars: number;
  restoredFrom: number | null;
  confidence: number | null;
  /** For an OCR version: the checks that changed a step of the pipeline on this page. */
  ocrNotes: OcrNote[];
}

export interface Version extends VersionSummary {
  text: string;
  lines: TranscriptLine[];
}

/**
 * What an edit was made on: the page, the version and a hash binding the two to that version's
 * text. Every save, approval and restore carries it and is refused unless it matches the page's
 * newest version inside the writing transaction, so a form left over from another page (or
 * forged) can never write one page's text onto another, even when both are at the same version.
 */
export interface EditBase {
  pageId: number;
  version: number;
  hash: string;
}

export function baseHash(pageId: number, version: number, text: string) {
  return createHash("sha256").update(`${pageId}\n${version}\n${text}`).digest("hex");
}

export function editBaseOf(pageId: number, version: Version | null | undefined): EditBase {
  const v = version?.version ?? 0;
  return { pageId, version: v, hash: baseHash(pageId, v, version?.text ?? "") };
}

/** The base for an edit of `version` (the newest when not given). */
export async function getEditBase(pageId: number, version?: number): Promise<EditBase> {
  const v =
    version === undefined
      ? await getLatestVersion(pageId)
      : version === 0
        ? null
        : await getVersion(pageId, version);
  if (version !== undefined && version !== 0 && !v) throw new DomainError("error.notFound");
  return editBaseOf(pageId, v);
}

function versionQuery(db: DB, pageId: number) {
  return db
    .selectFrom("transcription as t")
    .leftJoin("staff_user as s", "s.id", "t.created_by_staff_id")
    .leftJoin("ocr_job as j", "j.id", "t.ocr_job_id")
    .select([
      "j.path_json",
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
    ocrNotes: r.source === "ocr" ? notesOfPath(r.path_json) : [],
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
          .select(["id", "status"])
          .where("notebook_id", "=", page.notebook_id)
          .where("page_number", "=", input.pageNumber)
          .where("id", "!=", pageId)
          .execute();
        // Participants already see an approved page under its number: it is not renumbered.
        if (other.some((o) => o.status === "approved"))
          throw new DomainError("review.pageNumberApproved", "pageNumber", {
            n: input.pageNumber,
          });
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
