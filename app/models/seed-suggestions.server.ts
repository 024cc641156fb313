/**
 * Suggested seeds: when a page is approved, the app looks for candidate seeds in the approved
 * text (app/seeds/suggest.server: names staff already know, and phrases that look like local
 * resources) and keeps them as open suggestions until staff take one as a seed (the tagging
 * form, prefilled) or dismiss it. Responsible for making them once per approved version, keeping
 * them off words that already carry a seed or were dismissed on the page before, and the
 * take/dismiss bookkeeping. Not responsible for finding them (app/seeds/) or for seeds
 * (./seeds.server).
 */
import type { SeedCategory } from "../../db/schema";
import { suggestSeeds, type KnownName } from "~/seeds/suggest.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { searchKey } from "~/utils/kana-fold";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };

export interface OpenSuggestion {
  id: number;
  /** Code points into the approved version's text. */
  start: number;
  end: number;
  quote: string;
  category: SeedCategory;
  source: "autolink" | "discovery";
  /** The known resource an autolinked name belongs to. */
  resource: { id: number; name: string } | null;
}

/** The page's approved transcription, or null when the page is not approved. */
async function approvedText(db: DB, pageId: number) {
  return db
    .selectFrom("page as p")
    .innerJoin("transcription as t", (j) =>
      j.onRef("t.page_id", "=", "p.id").onRef("t.version", "=", "p.approved_version"),
    )
    .select(["t.id as transcriptionId", "t.text"])
    .where("p.id", "=", pageId)
    .where("p.status", "=", "approved")
    .executeTakeFirst();
}

/**
 * Names staff already know, for autolink: resources (name and aliases) and the titles and quotes
 * of accepted or merged seeds. `byKey` maps a folded name to its resource.
 */
async function knownNames(db: DB) {
  const [resources, seeds] = await Promise.all([
    db.selectFrom("resource").select(["id", "name", "aliases_json", "category"]).execute(),
    db
      .selectFrom("seed")
      .select(["title", "quote", "category", "resource_id"])
      .where("status", "in", ["accepted", "merged"])
      .where("page_id", "is not", null)
      .execute(),
  ]);
  const known: KnownName[] = [];
  const byKey = new Map<string, { id: number; name: string }>();
  for (const r of resources) {
    const aliases = JSON.parse(r.aliases_json) as string[];
    known.push({ name: r.name, aliases, category: r.category });
    for (const form of [r.name, ...aliases]) byKey.set(searchKey(form), { id: r.id, name: r.name });
  }
  const names = new Map(resources.map((r) => [r.id, r.name]));
  const seen = new Set<string>();
  for (const s of seeds) {
    const key = searchKey(s.quote);
    if (seen.has(key)) continue;
    seen.add(key);
    known.push({ name: s.quote, aliases: [], category: s.category });
    if (s.resource_id !== null && !byKey.has(key))
      byKey.set(key, { id: s.resource_id, name: names.get(s.resource_id) ?? s.title });
  }
  return { known, byKey };
}

/**
 * Makes the suggestions for the page's approved version, once: a second call (another request,
 * another process) finds the run recorded and does nothing. Suggestions on words that already
 * carry a seed, or that staff dismissed on this page before, are left out. Open suggestions of
 * an earlier approved version go: their words may have changed.
 */
export async function ensureSuggestions(pageId: number): Promise<void> {
  const db = getDb();
  const page = await approvedText(db, pageId);
  if (!page) return;
  const done = await db
    .selectFrom("seed_suggestion_run")
    .select("transcription_id")
    .where("transcription_id", "=", page.transcriptionId)
    .executeTakeFirst();
  if (done) return;

  const { known, byKey } = await knownNames(db);
  const found = await suggestSeeds(page.text, { known });

  await db.transaction().execute(async (trx) => {
    // The page may have been reopened (or approved again) while the analyser ran.
    const now = await approvedText(trx, pageId);
    if (now?.transcriptionId !== page.transcriptionId) return;
    const claimed = await trx
      .insertInto("seed_suggestion_run")
      .values({ transcription_id: page.transcriptionId, page_id: pageId, found: 0 })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) return;

    const [seeds, dismissed] = await Promise.all([
      trx
        .selectFrom("seed")
        .select(["start_cp", "end_cp", "transcription_id"])
        .where("page_id", "=", pageId)
        .execute(),
      trx
        .selectFrom("seed_suggestion")
        .select("quote")
        .where("page_id", "=", pageId)
        .where("status", "=", "dismissed")
        .execute(),
    ]);
    const dismissedKeys = new Set(dismissed.map((d) => searchKey(d.quote)));
    // Seeds were re-anchored to this version when it was approved.
    const tagged = seeds.filter((s) => s.transcription_id === page.transcriptionId);
    const fresh = found.filter(
      (f) =>
        !dismissedKeys.has(searchKey(f.text)) &&
        !tagged.some((s) => s.start_cp < f.end && f.start < s.end_cp),
    );

    await trx
      .deleteFrom("seed_suggestion")
      .where("page_id", "=", pageId)
      .where("status", "=", "open")
      .execute();
    for (const f of fresh) {
      await trx
        .insertInto("seed_suggestion")
        .values({
          page_id: pageId,
          transcription_id: page.transcriptionId,
          start_cp: f.start,
          end_cp: f.end,
          quote: f.text,
          category: f.category,
          source: f.source,
          resource_id: f.source === "autolink" ? (byKey.get(searchKey(f.text))?.id ?? null) : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await trx
      .updateTable("seed_suggestion_run")
      .set({ found: fresh.length })
      .where("transcription_id", "=", page.transcriptionId)
      .execute();
  });
}

/** Starts making suggestions without waiting (after an approval); a failure is only logged. */
export function suggestInBackground(pageId: number): void {
  ensureSuggestions(pageId).catch((error: unknown) => {
    console.error(`seed suggestions for page ${pageId} failed:`, error);
  });
}

/** The open suggestions of the page's approved version, in text order, off the words of seeds. */
export async function listOpenSuggestions(pageId: number): Promise<OpenSuggestion[]> {
  const rows = await getDb()
    .selectFrom("seed_suggestion as s")
    .innerJoin("page as p", "p.id", "s.page_id")
    .innerJoin("transcription as t", (j) =>
      j.onRef("t.page_id", "=", "p.id").onRef("t.version", "=", "p.approved_version"),
    )
    .leftJoin("resource as r", "r.id", "s.resource_id")
    .select([
      "s.id",
      "s.start_cp",
      "s.end_cp",
      "s.quote",
      "s.category",
      "s.source",
      "r.id as resourceId",
      "r.name as resourceName",
    ])
    .where("s.page_id", "=", pageId)
    .whereRef("s.transcription_id", "=", "t.id")
    .where("s.status", "=", "open")
    // Words staff tagged themselves since are a seed now, not a suggestion.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("seed as d")
            .select("d.id")
            .whereRef("d.transcription_id", "=", "s.transcription_id")
            .whereRef("d.start_cp", "<", "s.end_cp")
            .whereRef("s.start_cp", "<", "d.end_cp"),
        ),
      ),
    )
    .orderBy("s.start_cp")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    start: r.start_cp,
    end: r.end_cp,
    quote: r.quote,
    category: r.category,
    source: r.source,
    resource:
      r.resourceId !== null && r.resourceName !== null
        ? { id: r.resourceId, name: r.resourceName }
        : null,
  }));
}

/** An open suggestion of this page, or the refusal 「この候補はもうありません」. */
async function openSuggestion(trx: DB, pageId: number, suggestionId: number) {
  const row = await trx
    .selectFrom("seed_suggestion")
    .select(["id", "transcription_id", "source"])
    .where("id", "=", suggestionId)
    .where("page_id", "=", pageId)
    .where("status", "=", "open")
    .executeTakeFirst();
  if (!row) throw new DomainError("seeds.suggestionGone");
  return row;
}

/**
 * Inside the transaction that makes a seed from a suggestion: the suggestion, still open and on
 * the version the seed is anchored to, and a function that marks it taken by the new seed.
 */
export async function takeSuggestion(
  trx: DB,
  at: { pageId: number; transcriptionId: number; suggestionId: number },
  by: StaffBy,
) {
  const row = await openSuggestion(trx, at.pageId, at.suggestionId);
  if (row.transcription_id !== at.transcriptionId) throw new DomainError("seeds.suggestionGone");
  return {
    source: row.source,
    takenBy: async (seedId: number) => {
      await trx
        .updateTable("seed_suggestion")
        .set({
          status: "taken",
          seed_id: seedId,
          decided_by_staff_id: by.actor.staffId,
          decided_at: new Date().toISOString(),
        })
        .where("id", "=", row.id)
        .execute();
    },
  };
}

/** Staff dismiss a suggestion: it is not shown again, nor suggested again on this page. */
export async function dismissSuggestion(pageId: number, suggestionId: number, by: StaffBy) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await openSuggestion(trx, pageId, suggestionId);
      await trx
        .updateTable("seed_suggestion")
        .set({
          status: "dismissed",
          decided_by_staff_id: by.actor.staffId,
          decided_at: new Date().toISOString(),
        })
        .where("id", "=", suggestionId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "seed_suggestion.dismiss",
        entityType: "page",
        entityId: pageId,
        detail: { suggestionId },
      });
    });
}
