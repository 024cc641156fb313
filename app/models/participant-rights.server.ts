/**
 * Participants' rights on request (APPI; issue 15, decisions 025 and 026):
 *
 * - 利用停止: none of the participant's pages is shown to their group, until staff undo it. One
 *   participant-level state (`pages_hidden_at`) that the group's page rule (`visibleToGroup`)
 *   reads, so pages added later are covered and the writer's own hide requests stay as they were.
 * - 消去: the participant's personal data is deleted — their pages with every transcription
 *   version, 見守り flag, OCR job and image file; the words of seeds taken from them (seeds and
 *   the resources built on them stay, as 「削除されたページ」); their sessions, access code and
 *   every personal field of their record. The record itself stays as an empty placeholder
 *   「削除された参加者」 so that the group's members, the notebook's custody records and other
 *   people's referrals still point somewhere. The audit log keeps ids and counts, never text.
 *
 * Files are removed only after the transaction that forgets them has committed; the database
 * zeroes what it deletes (`secure_delete`, set on every connection) and the WAL is folded into the
 * main file and truncated afterwards, so no copy of the words stays in a free page or old frame.
 */
import { sql } from "kysely";
import { listFilesOfImages } from "~/storage/page-files.server";
import { removeFiles } from "~/storage/images.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { dialectOf, getDb, type DB } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { eraseRowsOfPages, type ErasedRows } from "./page-lifecycle.server";

type By = { actor: Actor; ip?: string };

/** What a deleted participant is called wherever their placeholder still appears. */
export const DELETED_PARTICIPANT_NAME = "削除された参加者";

async function expectLiving(trx: DB, participantId: number) {
  const row = await trx
    .selectFrom("participant")
    .select(["id", "pen_name", "pages_hidden_at", "deleted_at", "access_code_selector"])
    .where("id", "=", participantId)
    .executeTakeFirst();
  if (!row || row.deleted_at) throw new DomainError("error.notFound");
  return row;
}

async function countPagesOf(trx: DB, participantId: number) {
  const row = await trx
    .selectFrom("page")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("author_participant_id", "=", participantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------
// 利用停止

/** Stops showing every page of the participant to their group. Asked twice: already done. */
export async function hideAllPagesOf(participantId: number, by: By): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const p = await expectLiving(trx, participantId);
      if (p.pages_hidden_at) return;
      await trx
        .updateTable("participant")
        .set({ pages_hidden_at: new Date().toISOString() })
        .where("id", "=", participantId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "participant.pages_hide",
        entityType: "participant",
        entityId: participantId,
        detail: { pages: await countPagesOf(trx, participantId) },
      });
    });
}

/** Shows the participant's pages to their group again (each page's own rules still apply). */
export async function showAllPagesOf(participantId: number, by: By): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const p = await expectLiving(trx, participantId);
      if (!p.pages_hidden_at) return;
      await trx
        .updateTable("participant")
        .set({ pages_hidden_at: null })
        .where("id", "=", participantId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "participant.pages_show",
        entityType: "participant",
        entityId: participantId,
        detail: { hiddenSince: p.pages_hidden_at, pages: await countPagesOf(trx, participantId) },
      });
    });
}

// ---------------------------------------------------------------------------------------------
// 消去

export interface ErasurePreview {
  pages: number;
  versions: number;
  seeds: number;
  /** Seeds that fed a resource: the resource stays, its provenance becomes 「削除されたページ」. */
  seedsInResources: number;
  watchFlags: number;
  openWatchFlags: number;
  /** Groups not finished in which the participant is still a member (deletion waits for them). */
  currentGroups: Array<{ id: number; name: string }>;
  handoffs: number;
}

/** What a deletion would remove and keep, for the confirmation step. */
export async function getErasurePreview(
  participantId: number,
  db: DB = getDb(),
): Promise<ErasurePreview> {
  const pageIds = db
    .selectFrom("page")
    .select("id")
    .where("author_participant_id", "=", participantId);
  const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
  const [pages, versions, seeds, seedsInResources, watchFlags, openWatchFlags, handoffs] =
    await Promise.all([
      count(
        db
          .selectFrom("page")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("author_participant_id", "=", participantId)
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("transcription")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("page_id", "in", pageIds)
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("seed")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("page_id", "in", pageIds)
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("seed")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("page_id", "in", pageIds)
          .where("resource_id", "is not", null)
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("watch_flag")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("page_id", "in", pageIds)
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("watch_flag")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("page_id", "in", pageIds)
          .where("status", "=", "open")
          .executeTakeFirstOrThrow(),
      ),
      count(
        db
          .selectFrom("handoff")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where((eb) =>
            eb.or([
              eb("from_participant_id", "=", participantId),
              eb("to_participant_id", "=", participantId),
            ]),
          )
          .executeTakeFirstOrThrow(),
      ),
    ]);
  const currentGroups = await db
    .selectFrom("group_member as m")
    .innerJoin("diary_group as g", "g.id", "m.group_id")
    .select(["g.id", "g.name"])
    .where("m.participant_id", "=", participantId)
    .where("m.left_on", "is", null)
    .where("g.status", "!=", "finished")
    .orderBy("g.id")
    .execute();
  return {
    pages,
    versions,
    seeds,
    seedsInResources,
    watchFlags,
    openWatchFlags,
    currentGroups,
    handoffs,
  };
}

export interface ErasureResult extends ErasedRows {
  sessions: number;
  files: number;
  /** The WAL was folded into the main file and truncated (false: a reader held it; it will be). */
  walTruncated: boolean;
}

/** The pen name as typed for the second confirmation: spaces around it and width do not count. */
function sameName(typed: string, penName: string) {
  const fold = (s: string) => s.normalize("NFKC").trim();
  return fold(typed) !== "" && fold(typed) === fold(penName);
}

/**
 * Deletes the participant on request (see the top of this module). `typedPenName` is the second
 * confirmation: it must be the pen name. Refused, with nothing changed, while they are still a
 * member of a group that is not finished (staff replace or remove them first, so the group keeps
 * three real members) or while a 見守り flag on one of their pages is open (someone looks first).
 */
export async function eraseParticipant(
  participantId: number,
  typedPenName: string,
  by: By,
): Promise<ErasureResult> {
  const db = getDb();
  const { erased, sessions, files } = await db.transaction().execute(async (trx) => {
    const p = await expectLiving(trx, participantId);
    if (!sameName(typedPenName, p.pen_name))
      throw new DomainError("rights.deleteNameMismatch", "penName");
    const preview = await getErasurePreview(participantId, trx);
    if (preview.currentGroups.length > 0)
      throw new DomainError("rights.deleteInGroup", "form", {
        groups: preview.currentGroups.map((g) => g.name).join("、"),
      });
    if (preview.openWatchFlags > 0)
      throw new DomainError("rights.deleteOpenFlags", "form", { n: preview.openWatchFlags });

    const pages = await trx
      .selectFrom("page")
      .select(["id", "image_sha256", "original_path", "viewing_path", "thumb_path", "crop_path"])
      .where("author_participant_id", "=", participantId)
      .execute();
    const erased = await eraseRowsOfPages(
      trx,
      pages.map((pg) => pg.id),
    );
    // A file stays if a page still in the database points to it (never expected: an image is
    // refused as a duplicate; checked because removing another person's page would be worse).
    const shas = [...new Set(pages.map((pg) => pg.image_sha256))];
    const stillUsed = new Set(
      shas.length === 0
        ? []
        : (
            await trx
              .selectFrom("page")
              .select("image_sha256")
              .where("image_sha256", "in", shas)
              .execute()
          ).map((r) => r.image_sha256),
    );
    const files = [
      ...pages
        .filter((pg) => !stillUsed.has(pg.image_sha256))
        .flatMap((pg) => [pg.original_path, pg.viewing_path, pg.thumb_path, pg.crop_path]),
    ].filter((f): f is string => !!f);
    const ownShas = shas.filter((s) => !stillUsed.has(s));

    const sessions = Number(
      (
        await trx
          .deleteFrom("session")
          .where("participant_id", "=", participantId)
          .executeTakeFirst()
      ).numDeletedRows,
    );
    if (p.access_code_selector)
      await trx
        .deleteFrom("login_attempt")
        .where("scope", "=", "code")
        .where("key", "=", p.access_code_selector)
        .execute();
    // Custody and membership stay as the group's history, without what was written about them.
    await trx
      .updateTable("handoff")
      .set({ note: "" })
      .where((eb) =>
        eb.or([
          eb("from_participant_id", "=", participantId),
          eb("to_participant_id", "=", participantId),
        ]),
      )
      .execute();
    await trx
      .updateTable("group_member")
      .set({ left_reason: null })
      .where("participant_id", "=", participantId)
      .execute();
    const now = new Date().toISOString();
    await trx
      .updateTable("participant")
      .set({
        real_name: DELETED_PARTICIPANT_NAME,
        pen_name: DELETED_PARTICIPANT_NAME,
        contact: null,
        age_band: "unspecified",
        referral_type: "none",
        referred_by_participant_id: null,
        referral_note: "",
        consent_reading_on: null,
        consent_digitising_on: null,
        consent_seeds_on: null,
        withdrawn_on: localDate(),
        access_code_selector: null,
        access_code_hash: null,
        access_code_issued_at: null,
        pages_hidden_at: null,
        deleted_at: now,
        updated_at: now,
      })
      .where("id", "=", participantId)
      .execute();
    await writeAudit(trx, {
      ...by,
      action: "participant.delete",
      entityType: "participant",
      entityId: participantId,
      detail: {
        pages: erased.pages,
        transcriptions: erased.transcriptions,
        watchFlags: erased.watchFlags,
        ocrJobs: erased.ocrJobs,
        suggestions: erased.suggestions,
        seedsEmptied: erased.seedsEmptied,
        seedsInResources: preview.seedsInResources,
        sessions,
        handoffsKept: preview.handoffs,
        pageIds: pages.map((pg) => pg.id),
      },
    });
    return { erased, sessions, files: { listed: files, shas: ownShas } };
  });
  // After the commit: the files the rows named, and any other copy named after the same photo.
  const toRemove = [...new Set([...files.listed, ...(await listFilesOfImages(files.shas))])];
  await removeFiles(...toRemove);
  return { ...erased, sessions, files: toRemove.length, walTruncated: await truncateWal(db) };
}

/**
 * Folds the WAL into the database file and truncates it, so that old frames holding deleted
 * words do not linger in the -wal file. Another connection still reading can hold it back; then
 * SQLite reports busy and the next checkpoint does it.
 */
async function truncateWal(db: DB): Promise<boolean> {
  // PostgreSQL: dead rows are reclaimed by (auto)vacuum; see decision 026 for what that means.
  if (dialectOf(db) === "postgres") return false;
  const { rows } = await sql<{
    busy: number;
    log: number;
    checkpointed: number;
  }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  return rows[0]?.busy === 0;
}
