/**
 * Seeds of social prescribing (タネ): phrases staff tag in approved diary pages, and the staff
 * decisions that turn them into community resources. Responsible for the anchor (code-point
 * offsets into one approved transcription version plus the exact quote, checked on the server),
 * re-anchoring when a page is approved again with changed text (never silently pointing at other
 * words: 要確認 instead), the consent rule for public resources, and decisions that can be undone.
 * Not responsible for suggestions (app/seeds/) or the screens.
 */
import { z } from "zod";
import type { SeedCategory, SeedStatus } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, optionalText, requiredText } from "~/utils/forms.server";
import { checkAnchor, reanchor } from "~/utils/seed-anchor";
import { SEED_CATEGORIES } from "./constants";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

const tagList = z
  .string()
  .optional()
  .transform((v) =>
    [
      ...new Set(
        (v ?? "")
          .split(/[,、，\s]+/)
          .map((t) => t.normalize("NFKC").trim())
          .filter(Boolean),
      ),
    ].slice(0, 20),
  )
  .refine((tags) => tags.every((t) => Array.from(t).length <= 30), "error.tooLong");

export const SeedCreateSchema = z.object({
  pageId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  start: z.coerce.number().int().min(0),
  end: z.coerce.number().int().positive(),
  quote: z.string().min(1, "error.required"),
  title: requiredText(100),
  category: z.enum(SEED_CATEGORIES, { error: "error.invalid" }),
  tags: tagList,
  area: optionalText(100),
  note: optionalText(1000),
});

export type SeedCreateInput = z.output<typeof SeedCreateSchema>;

/** Tags a phrase of a page's approved text as a proposed seed. */
export async function createSeed(
  input: SeedCreateInput,
  by: StaffBy & { source?: "staff" | "autolink" | "discovery" },
): Promise<number> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page as p")
        .innerJoin("transcription as t", (j) =>
          j.onRef("t.page_id", "=", "p.id").onRef("t.version", "=", "p.approved_version"),
        )
        .innerJoin("diary_group as g", "g.id", "p.group_id")
        .innerJoin("health_room as r", "r.id", "g.health_room_id")
        .select(["p.id", "p.status", "t.id as transcriptionId", "t.version", "t.text", "r.area"])
        .where("p.id", "=", input.pageId)
        .executeTakeFirst();
      if (!page || page.status !== "approved") throw new DomainError("seeds.pageNotApproved");
      if (page.version !== input.version) throw new DomainError("seeds.staleVersion");
      const anchor = { start: input.start, end: input.end, quote: input.quote.normalize("NFC") };
      if (!checkAnchor(page.text, anchor)) throw new DomainError("seeds.quoteMismatch");
      const { id } = await trx
        .insertInto("seed")
        .values({
          page_id: page.id,
          transcription_id: page.transcriptionId,
          transcription_version: page.version,
          start_cp: anchor.start,
          end_cp: anchor.end,
          quote: anchor.quote,
          title: input.title,
          category: input.category,
          tags_json: JSON.stringify(input.tags),
          // The group's health-room area unless staff chose another.
          area: input.area ?? page.area,
          note: input.note ?? "",
          source: by.source ?? "staff",
          proposed_by_staff_id: by.actor.staffId,
          proposed_at: new Date().toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        actor: by.actor,
        ip: by.ip,
        action: "seed.propose",
        entityType: "seed",
        entityId: id,
        detail: { pageId: page.id, version: page.version },
      });
      return id;
    });
}

/**
 * Called by the page lifecycle inside the transaction that approves `version`: every seed of
 * the page anchored to an older version moves to the new text, or is marked 要確認.
 */
export async function reanchorSeeds(trx: DB, pageId: number, version: number) {
  const target = await trx
    .selectFrom("transcription")
    .select(["id", "text"])
    .where("page_id", "=", pageId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (!target) return;
  const seeds = await trx
    .selectFrom("seed as s")
    .leftJoin("transcription as t", "t.id", "s.transcription_id")
    .select(["s.id", "s.start_cp", "s.end_cp", "s.quote", "s.transcription_id", "t.text"])
    .where("s.page_id", "=", pageId)
    .where((eb) =>
      eb.or([eb("s.transcription_id", "is", null), eb("s.transcription_id", "!=", target.id)]),
    )
    .execute();
  for (const seed of seeds) {
    const result = reanchor(seed.text ?? "", target.text, {
      start: seed.start_cp,
      end: seed.end_cp,
      quote: seed.quote,
    });
    if (result.status === "needs_check") {
      await trx
        .updateTable("seed")
        .set({ needs_check: 1, needs_check_reason: "reanchor_failed" })
        .where("id", "=", seed.id)
        .execute();
    } else {
      await trx
        .updateTable("seed")
        .set({
          transcription_id: target.id,
          transcription_version: version,
          start_cp: result.start!,
          end_cp: result.end!,
          quote: result.quote ?? seed.quote,
        })
        .where("id", "=", seed.id)
        .execute();
    }
  }
}

/** Withdrawing consent to anonymised seeds marks that author's accepted seeds 要確認. */
export async function markSeedsOfAuthorForCheck(trx: DB, participantId: number) {
  await trx
    .updateTable("seed")
    .set({ needs_check: 1, needs_check_reason: "consent_withdrawn" })
    .where("status", "in", ["accepted", "merged"])
    .where(
      "page_id",
      "in",
      trx.selectFrom("page").select("id").where("author_participant_id", "=", participantId),
    )
    .execute();
}

async function getSeedForDecision(trx: DB, seedId: number) {
  const seed = await trx
    .selectFrom("seed as s")
    .leftJoin("page as p", "p.id", "s.page_id")
    .leftJoin("participant as a", "a.id", "p.author_participant_id")
    .selectAll("s")
    .select(["a.consent_seeds_on as consent", "a.id as authorId"])
    .where("s.id", "=", seedId)
    .executeTakeFirst();
  if (!seed) throw new DomainError("error.notFound");
  if (seed.status !== "proposed") throw new DomainError("seeds.alreadyDecided");
  return seed;
}

type DecisionSeed = Awaited<ReturnType<typeof getSeedForDecision>>;

/** A public resource may only rest on seeds whose author consented to anonymised use. */
function assertConsent(seed: DecisionSeed, visibility: "staff" | "public") {
  if (visibility === "public" && !seed.consent) throw new DomainError("seeds.noConsentPublic");
}

function beforeOf(seed: DecisionSeed) {
  return JSON.stringify({
    status: seed.status,
    resource_id: seed.resource_id,
    reject_reason: seed.reject_reason,
    reject_note: seed.reject_note,
    decided_by_staff_id: seed.decided_by_staff_id,
    decided_at: seed.decided_at,
  });
}

/** Accepts the seed as a new resource (named by the seed's title unless given). */
export async function acceptSeed(
  seedId: number,
  input: { name?: string; visibility: "staff" | "public" },
  by: StaffBy,
): Promise<number> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const seed = await getSeedForDecision(trx, seedId);
      assertConsent(seed, input.visibility);
      const now = new Date().toISOString();
      const { id: resourceId } = await trx
        .insertInto("resource")
        .values({
          name: input.name?.trim() || seed.title,
          category: seed.category,
          tags_json: seed.tags_json,
          area: seed.area,
          visibility: input.visibility,
          created_by_staff_id: by.actor.staffId,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("seed_decision")
        .values({
          seed_id: seedId,
          decision: "accept",
          before_json: beforeOf(seed),
          created_resource_id: resourceId,
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .execute();
      await trx
        .updateTable("seed")
        .set({
          status: "accepted",
          resource_id: resourceId,
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .where("id", "=", seedId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "seed.accept",
        entityType: "seed",
        entityId: seedId,
        detail: { resourceId },
      });
      return resourceId;
    });
}

/** Merges the seed into an existing resource. */
export async function mergeSeed(seedId: number, resourceId: number, by: StaffBy) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const seed = await getSeedForDecision(trx, seedId);
      const resource = await trx
        .selectFrom("resource")
        .select(["id", "visibility"])
        .where("id", "=", resourceId)
        .executeTakeFirst();
      if (!resource) throw new DomainError("seeds.noSuchResource");
      assertConsent(seed, resource.visibility);
      const now = new Date().toISOString();
      await trx
        .insertInto("seed_decision")
        .values({
          seed_id: seedId,
          decision: "merge",
          before_json: beforeOf(seed),
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .execute();
      await trx
        .updateTable("seed")
        .set({
          status: "merged",
          resource_id: resourceId,
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .where("id", "=", seedId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "seed.merge",
        entityType: "seed",
        entityId: seedId,
        detail: { resourceId },
      });
    });
}

export const REJECT_REASONS = ["identifiable", "exists", "out_of_area", "other"] as const;

export async function rejectSeed(
  seedId: number,
  reason: (typeof REJECT_REASONS)[number],
  note: string,
  by: StaffBy,
) {
  if (reason === "other" && !note.trim()) throw new DomainError("seeds.rejectNoteRequired", "note");
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const seed = await getSeedForDecision(trx, seedId);
      const now = new Date().toISOString();
      await trx
        .insertInto("seed_decision")
        .values({
          seed_id: seedId,
          decision: "reject",
          before_json: beforeOf(seed),
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .execute();
      await trx
        .updateTable("seed")
        .set({
          status: "rejected",
          reject_reason: reason,
          reject_note: note.trim(),
          decided_by_staff_id: by.actor.staffId,
          decided_at: now,
        })
        .where("id", "=", seedId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "seed.reject",
        entityType: "seed",
        entityId: seedId,
        detail: { reason },
      });
    });
}

/**
 * Undoes this staff member's last decision still in force: the seed is proposed again, and a
 * resource that the accept created goes too when no other seed points to it.
 */
export async function undoLastDecision(by: StaffBy): Promise<number | null> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const last = await trx
        .selectFrom("seed_decision")
        .selectAll()
        .where("decided_by_staff_id", "=", by.actor.staffId)
        .where("undone_at", "is", null)
        .orderBy("id", "desc")
        .executeTakeFirst();
      if (!last) return null;
      const before = JSON.parse(last.before_json) as {
        status: SeedStatus;
        resource_id: number | null;
        reject_reason: null;
        reject_note: string;
        decided_by_staff_id: number | null;
        decided_at: string | null;
      };
      await trx.updateTable("seed").set(before).where("id", "=", last.seed_id).execute();
      await trx
        .updateTable("seed_decision")
        .set({ undone_at: new Date().toISOString() })
        .where("id", "=", last.id)
        .execute();
      if (last.created_resource_id !== null) {
        const others = await trx
          .selectFrom("seed")
          .select("id")
          .where("resource_id", "=", last.created_resource_id)
          .executeTakeFirst();
        if (!others) {
          await trx
            .updateTable("seed_decision")
            .set({ created_resource_id: null })
            .where("created_resource_id", "=", last.created_resource_id)
            .execute();
          await trx.deleteFrom("resource").where("id", "=", last.created_resource_id).execute();
        }
      }
      await writeAudit(trx, {
        ...by,
        action: "seed.undo",
        entityType: "seed",
        entityId: last.seed_id,
        detail: { undid: last.decision },
      });
      return last.seed_id;
    });
}

export interface SeedRow {
  id: number;
  pageId: number | null;
  /** Code points into the anchored version's text. */
  start: number;
  end: number;
  quote: string;
  title: string;
  category: SeedCategory;
  tags: string[];
  area: string;
  status: SeedStatus;
  needsCheck: boolean;
  resourceId: number | null;
}

/** The seeds of a page (for highlights), in text order. */
export async function listSeedsOfPage(pageId: number): Promise<SeedRow[]> {
  const rows = await getDb()
    .selectFrom("seed")
    .selectAll()
    .where("page_id", "=", pageId)
    .orderBy("start_cp")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    pageId: r.page_id,
    start: r.start_cp,
    end: r.end_cp,
    quote: r.quote,
    title: r.title,
    category: r.category,
    tags: JSON.parse(r.tags_json) as string[],
    area: r.area,
    status: r.status,
    needsCheck: r.needs_check === 1,
    resourceId: r.resource_id,
  }));
}

/**
 * What the tagger on an approved page needs: the approved text and version, the page's seeds,
 * the group's area (the default for a new seed) and the tags used so far (for autocomplete).
 */
export async function getSeedTagging(pageId: number) {
  const db = getDb();
  const page = await db
    .selectFrom("page as p")
    .innerJoin("transcription as t", (j) =>
      j.onRef("t.page_id", "=", "p.id").onRef("t.version", "=", "p.approved_version"),
    )
    .innerJoin("diary_group as g", "g.id", "p.group_id")
    .innerJoin("health_room as r", "r.id", "g.health_room_id")
    .select(["t.version", "t.text", "r.area"])
    .where("p.id", "=", pageId)
    .where("p.status", "=", "approved")
    .executeTakeFirst();
  if (!page) return null;
  const [seeds, tagRows] = await Promise.all([
    listSeedsOfPage(pageId),
    db.selectFrom("seed").select("tags_json").orderBy("id", "desc").limit(2000).execute(),
  ]);
  const knownTags = [
    ...new Set(tagRows.flatMap((r) => JSON.parse(r.tags_json) as string[])),
  ].sort();
  return { version: page.version, text: page.text, area: page.area, seeds, knownTags };
}

/** The resource and the seeds behind it (its provenance). */
export async function getResourceWithProvenance(resourceId: number) {
  const db = getDb();
  const resource = await db
    .selectFrom("resource")
    .selectAll()
    .where("id", "=", resourceId)
    .executeTakeFirst();
  if (!resource) return null;
  const seeds = await db
    .selectFrom("seed as s")
    .leftJoin("page as p", "p.id", "s.page_id")
    .select(["s.id", "s.quote", "s.status", "s.page_id", "p.page_number", "s.page_deleted_at"])
    .where("s.resource_id", "=", resourceId)
    .orderBy("s.id")
    .execute();
  return { resource, seeds };
}
