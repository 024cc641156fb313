/**
 * 見守り (watch) flags: the staff-editable list of concern phrases, the flags a match opens on a
 * page, flags raised by hand, and their acknowledgement. A flag is an aid for staff attention,
 * not an assessment; nothing here is ever shown to participants, and a page with an open flag is
 * kept from its group (see listApprovedPagesForGroup).
 */
import { hasForbiddenCharacters } from "~/utils/text";
import { sql } from "kysely";
import { z } from "zod";
import type { WatchFlagSource, WatchFlagStatus } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import {
  findConcerns,
  phraseKey,
  type ConcernMatch,
  type ConcernPhraseForms,
} from "~/utils/concern-match";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, requiredText } from "~/utils/forms.server";

type By = { actor: Actor; ip?: string };

export interface ConcernPhrase {
  id: number;
  phrase: string;
  variants: string[];
  active: boolean;
  updatedAt: string;
}

function parseVariants(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
  } catch {
    return [];
  }
}

export async function listConcernPhrases(): Promise<ConcernPhrase[]> {
  const rows = await getDb().selectFrom("concern_phrase").selectAll().orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    phrase: r.phrase,
    variants: parseVariants(r.variants),
    active: r.active === 1,
    updatedAt: r.updated_at,
  }));
}

async function activeForms(db: DB): Promise<ConcernPhraseForms[]> {
  const rows = await db
    .selectFrom("concern_phrase")
    .select(["id", "phrase", "variants"])
    .where("active", "=", 1)
    .execute();
  return rows.map((r) => ({ id: r.id, phrase: r.phrase, forms: parseVariants(r.variants) }));
}

export const ConcernPhraseSchema = z.object({
  phrase: requiredText(40).transform((s) => s.normalize("NFC")),
  // One spelling per line (or separated by 、 or commas).
  variants: z
    .string()
    .max(1000, "error.tooLong")
    .refine((s) => !hasForbiddenCharacters(s, { multiline: true }), "error.controlChars")
    .optional()
    .transform((s) =>
      [
        ...new Set(
          (s ?? "")
            .split(/[\n,、，]/)
            .map((v) => v.trim().normalize("NFC"))
            .filter(Boolean),
        ),
      ].slice(0, 30),
    ),
  active: z
    .string()
    .optional()
    .transform((v) => v === "1" || v === "on"),
});

export type ConcernPhraseInput = z.output<typeof ConcernPhraseSchema>;

async function assertPhraseFree(db: DB, phrase: string, exceptId: number | null) {
  const key = phraseKey(phrase);
  if (key.length < 2) throw new DomainError("watch.phraseTooShort", "phrase");
  // Another entry already catches this phrase when it or one of its spellings folds the same.
  const all = await db.selectFrom("concern_phrase").select(["id", "phrase", "variants"]).execute();
  const clash = all.find(
    (p) =>
      p.id !== exceptId &&
      [p.phrase, ...parseVariants(p.variants)].some((form) => phraseKey(form) === key),
  );
  if (clash) throw new DomainError("watch.phraseExists", "phrase", { phrase: clash.phrase });
}

export async function createConcernPhrase(input: ConcernPhraseInput, by: By) {
  const db = getDb();
  await assertPhraseFree(db, input.phrase, null);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("concern_phrase")
      .values({
        phrase: input.phrase,
        variants: JSON.stringify(input.variants),
        active: 1,
        updated_by_staff_id: by.actor.type === "staff" ? by.actor.staffId : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      ...by,
      action: "concern_phrase.create",
      entityType: "concern_phrase",
      entityId: id,
      detail: { phrase: input.phrase, variants: input.variants },
    });
    return { id, flagsOpened: await recheckWaitingPages(trx, id, by.actor) };
  });
}

export async function updateConcernPhrase(id: number, input: ConcernPhraseInput, by: By) {
  const db = getDb();
  const existing = await db
    .selectFrom("concern_phrase")
    .select("id")
    .where("id", "=", id)
    .executeTakeFirst();
  if (!existing) throw new DomainError("error.notFound");
  await assertPhraseFree(db, input.phrase, id);
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("concern_phrase")
      .set({
        phrase: input.phrase,
        variants: JSON.stringify(input.variants),
        active: input.active ? 1 : 0,
        updated_by_staff_id: by.actor.type === "staff" ? by.actor.staffId : null,
        updated_at: new Date().toISOString(),
      })
      .where("id", "=", id)
      .execute();
    await writeAudit(trx, {
      ...by,
      action: "concern_phrase.update",
      entityType: "concern_phrase",
      entityId: id,
      detail: { phrase: input.phrase, variants: input.variants, active: input.active },
    });
    return { id, flagsOpened: input.active ? await recheckWaitingPages(trx, id, by.actor) : 0 };
  });
}

/**
 * Checks a transcription's text against the active phrases and opens a flag for each phrase
 * found that this page has not had a flag for yet. Runs inside the caller's transaction, so the
 * version and its flags are written together.
 */
export async function checkForConcerns(
  trx: DB,
  input: { pageId: number; version: number; text: string; actor: Actor },
): Promise<number> {
  return openFlags(trx, input, findConcerns(input.text, await activeForms(trx)));
}

async function openFlags(
  trx: DB,
  input: { pageId: number; version: number; actor: Actor },
  matches: ConcernMatch[],
): Promise<number> {
  let opened = 0;
  for (const m of matches) {
    const inserted = await trx
      .insertInto("watch_flag")
      .values({
        page_id: input.pageId,
        source: "phrase",
        concern_phrase_id: m.phraseId,
        matched_text: m.matched,
        context_before: m.before,
        context_after: m.after,
        transcription_version: input.version,
      })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) continue;
    opened++;
    await writeAudit(trx, {
      actor: input.actor,
      action: "watch_flag.open",
      entityType: "page",
      entityId: input.pageId,
      // The phrase's id, not its words: they are words of the diary (decision 024).
      detail: { flagId: inserted.id, phraseId: m.phraseId, version: input.version },
    });
  }
  return opened;
}

/**
 * A new or changed phrase is also applied to the pages still waiting for review (their newest
 * version). Approved pages are left as they are: a group's diary does not lose pages because the
 * list changed; staff can reopen a page if they want it looked at again.
 */
async function recheckWaitingPages(trx: DB, phraseId: number, actor: Actor): Promise<number> {
  const phrase = (await activeForms(trx)).find((p) => p.id === phraseId);
  if (!phrase) return 0;
  const rows = await trx
    .selectFrom("page as p")
    .innerJoin("transcription as t", "t.page_id", "p.id")
    .select(["p.id", "t.version", "t.text"])
    .where("p.status", "in", ["needs_review", "ocr_failed"])
    .where((eb) =>
      eb(
        "t.version",
        "=",
        eb
          .selectFrom("transcription as t2")
          .select((e) => e.fn.max("t2.version").as("v"))
          .whereRef("t2.page_id", "=", "p.id"),
      ),
    )
    .execute();
  let opened = 0;
  for (const r of rows) {
    const matches = findConcerns(r.text, [phrase]);
    if (matches.length > 0)
      opened += await openFlags(trx, { pageId: r.id, version: r.version, actor }, matches);
  }
  return opened;
}

export async function raiseManualFlag(pageId: number, reason: string, by: By) {
  const db = getDb();
  const page = await db.selectFrom("page").select("id").where("id", "=", pageId).executeTakeFirst();
  if (!page) throw new DomainError("error.notFound");
  await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto("watch_flag")
      .values({
        page_id: pageId,
        source: "manual",
        reason,
        raised_by_staff_id: by.actor.type === "staff" ? by.actor.staffId : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      ...by,
      action: "watch_flag.raise",
      entityType: "page",
      entityId: pageId,
      detail: { flagId: id },
    });
  });
}

export async function acknowledgeFlag(pageId: number, flagId: number, note: string, by: By) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const updated = await trx
        .updateTable("watch_flag")
        .set({
          status: "acknowledged",
          acknowledged_by_staff_id: by.actor.type === "staff" ? by.actor.staffId : null,
          acknowledged_at: new Date().toISOString(),
          acknowledgement_note: note,
        })
        .where("id", "=", flagId)
        .where("page_id", "=", pageId)
        .where("status", "=", "open")
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new DomainError("watch.alreadyAcknowledged");
      await writeAudit(trx, {
        ...by,
        action: "watch_flag.acknowledge",
        entityType: "page",
        entityId: pageId,
        detail: { flagId },
      });
    });
}

export interface WatchFlag {
  id: number;
  pageId: number;
  source: WatchFlagSource;
  phrase: string | null;
  matchedText: string;
  contextBefore: string;
  contextAfter: string;
  version: number | null;
  reason: string;
  status: WatchFlagStatus;
  raisedBy: string | null;
  createdAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgementNote: string | null;
}

function flagQuery(db: DB) {
  return db
    .selectFrom("watch_flag as f")
    .leftJoin("concern_phrase as c", "c.id", "f.concern_phrase_id")
    .leftJoin("staff_user as r", "r.id", "f.raised_by_staff_id")
    .leftJoin("staff_user as a", "a.id", "f.acknowledged_by_staff_id")
    .select([
      "f.id",
      "f.page_id",
      "f.source",
      "c.phrase",
      "f.matched_text",
      "f.context_before",
      "f.context_after",
      "f.transcription_version",
      "f.reason",
      "f.status",
      "r.display_name as raised_by",
      "f.created_at",
      "a.display_name as acknowledged_by",
      "f.acknowledged_at",
      "f.acknowledgement_note",
    ]);
}

type FlagRow = Awaited<ReturnType<ReturnType<typeof flagQuery>["execute"]>>[number];

function toFlag(r: FlagRow): WatchFlag {
  return {
    id: r.id,
    pageId: r.page_id,
    source: r.source,
    phrase: r.phrase,
    matchedText: r.matched_text,
    contextBefore: r.context_before,
    contextAfter: r.context_after,
    version: r.transcription_version,
    reason: r.reason,
    status: r.status,
    raisedBy: r.raised_by,
    createdAt: r.created_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    acknowledgementNote: r.acknowledgement_note,
  };
}

export async function listFlagsForPage(pageId: number): Promise<WatchFlag[]> {
  const rows = await flagQuery(getDb())
    .where("f.page_id", "=", pageId)
    .orderBy(sql`f.status = 'open'`, "desc")
    .orderBy("f.created_at", "desc")
    .execute();
  return rows.map(toFlag);
}

export interface OpenFlagSummary extends WatchFlag {
  groupId: number;
  groupName: string;
  pageNumber: number;
}

/** Open flags, oldest first (the longest-waiting needs attention first). */
export async function listOpenFlags(limit = 50): Promise<OpenFlagSummary[]> {
  const rows = await flagQuery(getDb())
    .innerJoin("page as p", "p.id", "f.page_id")
    .innerJoin("diary_group as g", "g.id", "p.group_id")
    .select(["g.id as group_id", "g.name as group_name", "p.page_number"])
    .where("f.status", "=", "open")
    .orderBy("f.created_at", "asc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...toFlag(r),
    groupId: r.group_id,
    groupName: r.group_name,
    pageNumber: r.page_number,
  }));
}

export async function countOpenFlags(): Promise<number> {
  const row = await getDb()
    .selectFrom("watch_flag")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
