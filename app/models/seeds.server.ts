/**
 * Seeds of social prescribing (タネ): phrases staff tag in approved diary pages, and the staff
 * decisions that turn them into community resources. Responsible for the anchor (code-point
 * offsets into one approved transcription version plus the exact quote, checked on the server),
 * re-anchoring when a page is approved again with changed text (never silently pointing at other
 * words: 要確認 instead), the consent rule for public resources, and decisions that can be undone.
 * Not responsible for suggestions (app/seeds/) or the screens.
 */
import { sql, type ExpressionBuilder } from "kysely";
import { z } from "zod";
import type { Database, SeedCategory, SeedStatus, SeedTable } from "../../db/schema";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { jsonTextElements, oneIf } from "~/utils/sql.server";
import { DomainError, optionalText, requiredText } from "~/utils/forms.server";
import { searchKey } from "~/utils/kana-fold";
import { checkAnchor, reanchor } from "~/utils/seed-anchor";
import { SEED_CATEGORIES } from "./constants";
import { resourceSearchKey } from "./resources.server";
import { takeSuggestion } from "./seed-suggestions.server";

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
  note: optionalText(1000, { multiline: true }),
  // The suggestion the form was opened from, if any.
  suggestionId: z.coerce.number().int().positive().optional(),
});

export type SeedCreateInput = z.output<typeof SeedCreateSchema>;

/** Tags a phrase of a page's approved text as a proposed seed. */
export async function createSeed(input: SeedCreateInput, by: StaffBy): Promise<number> {
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
      const suggestion = input.suggestionId
        ? await takeSuggestion(
            trx,
            {
              pageId: page.id,
              transcriptionId: page.transcriptionId,
              suggestionId: input.suggestionId,
            },
            by,
          )
        : null;
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
          source: suggestion?.source ?? "staff",
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
        detail: {
          pageId: page.id,
          version: page.version,
          suggestionId: input.suggestionId ?? null,
        },
      });
      await suggestion?.takenBy(id);
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

type Decision =
  | { decision: "accept"; resourceId: number }
  | { decision: "merge"; resourceId: number }
  | { decision: "reject"; reason: (typeof REJECT_REASONS)[number]; note: string };

/**
 * Records a decision on a seed: the decision row (with the seed as it was, for undo), the seed's
 * new state with who and when, and the audit entry — one shape for accept, merge and reject.
 */
async function recordDecision(trx: DB, seed: DecisionSeed, d: Decision, by: StaffBy) {
  const now = new Date().toISOString();
  const decided = { decided_by_staff_id: by.actor.staffId, decided_at: now };
  await trx
    .insertInto("seed_decision")
    .values({
      seed_id: seed.id,
      decision: d.decision,
      before_json: beforeOf(seed),
      // Undo removes the resource an accept made, when nothing else points to it.
      created_resource_id: d.decision === "accept" ? d.resourceId : null,
      ...decided,
    })
    .execute();
  await trx
    .updateTable("seed")
    .set(
      d.decision === "reject"
        ? { status: "rejected", reject_reason: d.reason, reject_note: d.note, ...decided }
        : {
            status: d.decision === "accept" ? "accepted" : "merged",
            resource_id: d.resourceId,
            ...decided,
          },
    )
    .where("id", "=", seed.id)
    .execute();
  await writeAudit(trx, {
    ...by,
    action: `seed.${d.decision}`,
    entityType: "seed",
    entityId: seed.id,
    detail: d.decision === "reject" ? { reason: d.reason } : { resourceId: d.resourceId },
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
      const { id: resourceId } = await trx
        .insertInto("resource")
        .values({
          name: input.name?.trim() || seed.title,
          category: seed.category,
          tags_json: seed.tags_json,
          area: seed.area,
          visibility: input.visibility,
          created_by_staff_id: by.actor.staffId,
          search_key: resourceSearchKey({
            name: input.name?.trim() || seed.title,
            aliases: [],
            description: "",
            tags: JSON.parse(seed.tags_json) as string[],
          }),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordDecision(trx, seed, { decision: "accept", resourceId }, by);
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
      await recordDecision(trx, seed, { decision: "merge", resourceId }, by);
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
      await recordDecision(trx, seed, { decision: "reject", reason, note: note.trim() }, by);
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

// ---------------------------------------------------------------------------------------------
// The seed-review queue (/seeds): what staff decide on, with the quote in its sentence. No real
// names leave this module: the proposer is a staff display name, the writer is not shown here.

export const SEED_STATUSES = ["proposed", "accepted", "merged", "rejected"] as const;
export const SEED_QUEUE_PAGE_SIZE = 50;
/** Code points of context on each side of the quote (the sentence, cut at 。！？ or a line end). */
const CONTEXT_CP = 20;

export interface SeedQueueFilters {
  status: SeedStatus;
  category?: SeedCategory | null;
  tag?: string | null;
  area?: string | null;
  cohortId?: number | null;
  proposerId?: number | null;
}

export type SeedQueueOrder = "newest" | "oldest";

/** Queue filters from a query string; junk is ignored, the status defaults to proposed. */
export function parseSeedFilters(params: URLSearchParams): {
  filters: SeedQueueFilters;
  order: SeedQueueOrder;
} {
  const status = params.get("status");
  const category = params.get("category");
  const id = (v: string | null) => (v && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : null);
  const text = (v: string | null) => {
    const s = (v ?? "").normalize("NFKC").trim();
    return s && Array.from(s).length <= 100 ? s : null;
  };
  return {
    filters: {
      status: (SEED_STATUSES as readonly string[]).includes(status ?? "")
        ? (status as SeedStatus)
        : "proposed",
      category: (SEED_CATEGORIES as readonly string[]).includes(category ?? "")
        ? (category as SeedCategory)
        : null,
      tag: text(params.get("tag")),
      area: text(params.get("area")),
      cohortId: id(params.get("cohort")),
      proposerId: id(params.get("proposer")),
    },
    order: params.get("order") === "oldest" ? "oldest" : "newest",
  };
}

/** The query string that keeps the filters (and the order) across decisions and pages. */
export function seedQueueSearch(filters: SeedQueueFilters, order: SeedQueueOrder): string {
  const p = new URLSearchParams();
  if (filters.status !== "proposed") p.set("status", filters.status);
  if (filters.category) p.set("category", filters.category);
  if (filters.tag) p.set("tag", filters.tag);
  if (filters.area) p.set("area", filters.area);
  if (filters.cohortId) p.set("cohort", String(filters.cohortId));
  if (filters.proposerId) p.set("proposer", String(filters.proposerId));
  if (order !== "newest") p.set("order", order);
  return p.toString();
}

type SeedQueueWhere = Omit<SeedQueueFilters, "status"> & { status?: SeedStatus | null };

function seedFiltered(filters: SeedQueueWhere) {
  return (eb: ExpressionBuilder<Database & { s: SeedTable }, "s">) => {
    const conds = [];
    if (filters.status) conds.push(eb("s.status", "=", filters.status));
    if (filters.category) conds.push(eb("s.category", "=", filters.category));
    if (filters.area) conds.push(eb("s.area", "=", filters.area));
    if (filters.proposerId) conds.push(eb("s.proposed_by_staff_id", "=", filters.proposerId));
    if (filters.tag)
      conds.push(
        sql<boolean>`exists (select 1 from ${jsonTextElements("s.tags_json")} where value = ${filters.tag})`,
      );
    if (filters.cohortId)
      conds.push(
        eb(
          "s.page_id",
          "in",
          eb
            .selectFrom("page as fp")
            .innerJoin("diary_group as fg", "fg.id", "fp.group_id")
            .select("fp.id")
            .where("fg.cohort_id", "=", filters.cohortId),
        ),
      );
    return eb.and(conds);
  };
}

export interface SeedQuoteContext {
  /** The text around the quote, with the quote at [start, end) in code points. */
  text: string;
  start: number;
  end: number;
  /** Whether text was cut off before / after the window. */
  clippedBefore: boolean;
  clippedAfter: boolean;
}

const SENTENCE_END = new Set(["。", "！", "？", "!", "?", "\n"]);

/**
 * The quote in its sentence: up to CONTEXT_CP code points each side, stopping at a sentence end.
 * Offsets are code points, as the anchor is; a stale or missing text gives the quote alone.
 */
export function quoteContext(text: string | null, start: number, end: number, quote: string) {
  const chars = Array.from(text ?? "");
  if (!text || end > chars.length || chars.slice(start, end).join("") !== quote) {
    const n = Array.from(quote).length;
    return { text: quote, start: 0, end: n, clippedBefore: false, clippedAfter: false };
  }
  let from = start;
  while (from > 0 && start - from < CONTEXT_CP && !SENTENCE_END.has(chars[from - 1]!)) from--;
  let to = end;
  while (to < chars.length && to - end < CONTEXT_CP && !SENTENCE_END.has(chars[to - 1]!)) to++;
  // Keep the full stop that ends the sentence, drop a line end.
  while (to > end && chars[to - 1] === "\n") to--;
  return {
    text: chars.slice(from, to).join(""),
    start: start - from,
    end: end - from,
    clippedBefore: from > 0 && !SENTENCE_END.has(chars[from - 1]!),
    clippedAfter: to < chars.length && !SENTENCE_END.has(chars[to - 1]!) && chars[to] !== "\n",
  } satisfies SeedQuoteContext;
}

export interface SeedQueueRow {
  id: number;
  quote: string;
  context: SeedQuoteContext;
  title: string;
  category: SeedCategory;
  tags: string[];
  area: string;
  groupName: string | null;
  cohortName: string | null;
  pageNumber: number | null;
  pageId: number | null;
  proposerName: string;
  proposedAt: string;
  status: SeedStatus;
  needsCheck: boolean;
  /** Whether the writer consented to anonymised seeds: only then may a public resource use it. */
  publicAllowed: boolean;
  resource: { id: number; name: string } | null;
  rejectReason: (typeof REJECT_REASONS)[number] | null;
}

/** One page of the seed-review queue. */
export async function listSeedQueue(
  filters: SeedQueueFilters,
  options: { limit?: number; offset?: number; order?: SeedQueueOrder } = {},
): Promise<SeedQueueRow[]> {
  const direction = options.order === "oldest" ? "asc" : "desc";
  const rows = await getDb()
    .selectFrom("seed as s")
    .leftJoin("page as p", "p.id", "s.page_id")
    .leftJoin("diary_group as g", "g.id", "p.group_id")
    .leftJoin("cohort as c", "c.id", "g.cohort_id")
    .leftJoin("participant as a", "a.id", "p.author_participant_id")
    .leftJoin("transcription as t", "t.id", "s.transcription_id")
    .innerJoin("staff_user as st", "st.id", "s.proposed_by_staff_id")
    .leftJoin("resource as r", "r.id", "s.resource_id")
    .select([
      "s.id",
      "s.quote",
      "s.start_cp",
      "s.end_cp",
      "t.text",
      "s.title",
      "s.category",
      "s.tags_json",
      "s.area",
      "g.name as group_name",
      "c.name as cohort_name",
      "p.page_number",
      "s.page_id",
      "st.display_name as proposer_name",
      "s.proposed_at",
      "s.status",
      "s.needs_check",
      // Only whether consent exists: never the writer's name or dates.
      oneIf(sql`a.consent_seeds_on is not null`).as("consented"),
      "r.id as resource_id",
      "r.name as resource_name",
      "s.reject_reason",
    ])
    .where(seedFiltered(filters))
    .orderBy("s.proposed_at", direction)
    .orderBy("s.id", direction)
    .limit(options.limit ?? SEED_QUEUE_PAGE_SIZE)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    quote: r.quote,
    context: quoteContext(r.text, r.start_cp, r.end_cp, r.quote),
    title: r.title,
    category: r.category,
    tags: JSON.parse(r.tags_json) as string[],
    area: r.area,
    groupName: r.group_name,
    cohortName: r.cohort_name,
    pageNumber: r.page_number,
    pageId: r.page_id,
    proposerName: r.proposer_name,
    proposedAt: r.proposed_at,
    status: r.status,
    needsCheck: r.needs_check === 1,
    publicAllowed: Number(r.consented) === 1,
    resource: r.resource_id !== null ? { id: r.resource_id, name: r.resource_name ?? "" } : null,
    rejectReason: r.reject_reason,
  }));
}

/** Seeds per status under the other filters (the status tabs of the queue). */
export async function countSeedsByStatus(
  filters: Omit<SeedQueueFilters, "status"> | SeedQueueFilters,
): Promise<Record<SeedStatus, number>> {
  const rows = await getDb()
    .selectFrom("seed as s")
    .select(["s.status", sql<number>`count(*)`.as("n")])
    .where(seedFiltered({ ...filters, status: null }))
    .groupBy("s.status")
    .execute();
  const counts = { proposed: 0, accepted: 0, merged: 0, rejected: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** The choices of the queue's filters: tags, areas and proposers that seeds have. */
export async function listSeedFilterOptions() {
  const db = getDb();
  const [tagRows, areas, proposers] = await Promise.all([
    db.selectFrom("seed").select("tags_json").orderBy("id", "desc").limit(2000).execute(),
    db.selectFrom("seed").select("area").distinct().orderBy("area").execute(),
    // Staff who proposed any seed: one index probe per staff member, not a scan of every seed.
    db
      .selectFrom("staff_user as st")
      .select(["st.id", "st.display_name as name"])
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom("seed as s").select("s.id").whereRef("s.proposed_by_staff_id", "=", "st.id"),
        ),
      )
      .orderBy("st.display_name")
      .execute(),
  ]);
  return {
    tags: [...new Set(tagRows.flatMap((r) => JSON.parse(r.tags_json) as string[]))].sort(),
    areas: areas.map((a) => a.area).filter(Boolean),
    proposers,
  };
}

export interface ResourceMatch {
  id: number;
  name: string;
  aliases: string[];
  tags: string[];
  category: SeedCategory;
  area: string;
  visibility: "staff" | "public";
}

/**
 * Resources whose name, an alias or a tag contains `q`, compared kana- and width-folded
 * (ｶﾌｪ finds カフェ, ひだまり finds ヒダマリ); names that start with it first.
 */
export async function searchResources(q: string, limit = 20): Promise<ResourceMatch[]> {
  const key = searchKey(q);
  if (!key) return [];
  const rows = await getDb()
    .selectFrom("resource")
    .select(["id", "name", "aliases_json", "tags_json", "category", "area", "visibility"])
    .where("status", "!=", "closed")
    .orderBy("name")
    .execute();
  const scored: Array<{ rank: number; match: ResourceMatch }> = [];
  for (const r of rows) {
    const aliases = JSON.parse(r.aliases_json) as string[];
    const tags = JSON.parse(r.tags_json) as string[];
    const name = searchKey(r.name);
    const rank = name.startsWith(key)
      ? 0
      : name.includes(key)
        ? 1
        : aliases.some((a) => searchKey(a).includes(key))
          ? 2
          : tags.some((tg) => searchKey(tg).includes(key))
            ? 3
            : -1;
    if (rank < 0) continue;
    scored.push({
      rank,
      match: {
        id: r.id,
        name: r.name,
        aliases,
        tags,
        category: r.category,
        area: r.area,
        visibility: r.visibility,
      },
    });
  }
  return scored
    .sort((x, y) => x.rank - y.rank)
    .slice(0, limit)
    .map((s) => s.match);
}
