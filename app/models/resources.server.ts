/**
 * Community resources (地域資源): the list staff search and filter, one resource with its history
 * and provenance, editing with every changed field kept (field, old, new, who, when — HSDS
 * `metadata`), and verification. Responsible for the resource row, its search key and its change
 * history. Not responsible for seed decisions that create or feed resources (./seeds.server), the
 * public list's selection rule (`PUBLIC_RESOURCE` below is the one place it is written), or the
 * export formats (app/resources/).
 */
import { hasForbiddenCharacters } from "~/utils/text";
import { sql, type ExpressionBuilder } from "kysely";
import { z } from "zod";
import type { Database } from "../../db/schema";
import { resourceDuplicateKey, type ImportedResource } from "~/resources/csv-import";
import { RESOURCE_PAGE_SIZE, type RESOURCE_SORTS, type ResourceFilters } from "~/resources/filters";

import {
  RESOURCE_STATUSES,
  RESOURCE_VISIBILITIES,
  VERIFIED_HOW,
  type Resource,
  type ScheduleRule,
} from "~/resources/types";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { dialectOf, getDb, type DB } from "~/utils/db.server";
import { containsText, jsonTextElements } from "~/utils/sql.server";
import { DomainError, optionalText, requiredText } from "~/utils/forms.server";
import { searchKey } from "~/utils/kana-fold";
import { parseScheduleRules } from "~/utils/schedule";
import { SEED_CATEGORIES } from "./constants";

// The filters are browser-safe (app/resources/filters); loaders may take them from here too.
export {
  parseResourceFilters,
  RESOURCE_PAGE_SIZE,
  RESOURCE_SORTS,
  resourceSearch,
  type ResourceFilters,
} from "~/resources/filters";

type StaffBy = { actor: Actor & { type: "staff" }; ip?: string };
type ResourceRow = Awaited<ReturnType<typeof selectResource>>;

/** The folded text the list searches: name, aliases, description and tags. */
export function resourceSearchKey(r: {
  name: string;
  aliases: string[];
  description: string;
  tags: string[];
}): string {
  return [r.name, ...r.aliases, r.description, ...r.tags].map((s) => searchKey(s)).join("\n");
}

function selectResource(db: DB, id: number) {
  return db.selectFrom("resource").selectAll().where("id", "=", id).executeTakeFirst();
}

const RESOURCE_COLUMNS = [
  "resource.id",
  "resource.name",
  "resource.aliases_json",
  "resource.description",
  "resource.category",
  "resource.tags_json",
  "resource.area",
  "resource.organization",
  "resource.address",
  "resource.lat",
  "resource.lng",
  "resource.schedule_text",
  "resource.schedule_json",
  "resource.phone",
  "resource.email",
  "resource.url",
  "resource.eligibility",
  "resource.fees",
  "resource.status",
  "resource.visibility",
  "resource.verified_on",
  "resource.verified_how",
  "resource.created_at",
  "resource.updated_at",
] as const;

type ResourceColumns = Pick<
  NonNullable<ResourceRow>,
  (typeof RESOURCE_COLUMNS)[number] extends `resource.${infer C}` ? C : never
>;

export function toResource(row: ResourceColumns): Resource {
  return {
    id: row.id,
    name: row.name,
    aliases: JSON.parse(row.aliases_json) as string[],
    description: row.description,
    category: row.category,
    tags: JSON.parse(row.tags_json) as string[],
    area: row.area,
    organization: row.organization,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    scheduleText: row.schedule_text,
    schedule: JSON.parse(row.schedule_json) as ScheduleRule[],
    phone: row.phone,
    email: row.email,
    url: row.url,
    eligibility: row.eligibility,
    fees: row.fees,
    status: row.status,
    visibility: row.visibility,
    verifiedOn: row.verified_on,
    verifiedHow: row.verified_how,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const list = (max: number) =>
  z
    .string()
    .optional()
    // Split at line breaks too: the rule for text that may span lines.
    .refine((v) => !v || !hasForbiddenCharacters(v, { multiline: true }), "error.controlChars")
    .transform((v) =>
      [
        ...new Set(
          (v ?? "")
            .split(/[,、，\n]+/)
            .map((t) => t.normalize("NFKC").trim())
            .filter(Boolean),
        ),
      ].slice(0, max),
    );

const text = (max: number, options: { multiline?: boolean } = {}) =>
  optionalText(max, options).transform((v) => v ?? "");

const coordinate = (min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").normalize("NFKC").trim();
      if (!s) return null;
      const n = Number(s);
      if (!Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: "error.coordinate" });
        return z.NEVER;
      }
      return Math.round(n * 1e6) / 1e6;
    });

/** The edit form of a resource (also used to create one by hand). */
export const ResourceInputSchema = z
  .object({
    name: requiredText(100),
    aliases: list(20),
    description: text(2000, { multiline: true }),
    category: z.enum(SEED_CATEGORIES, { error: "error.invalid" }),
    tags: list(20),
    area: text(100),
    organization: text(200),
    address: text(300),
    lat: coordinate(-90, 90),
    lng: coordinate(-180, 180),
    scheduleText: text(500),
    scheduleRules: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const parsed = parseScheduleRules(v ?? "");
        if (!parsed.ok) {
          // The parser's own message names the part it could not read; the form shows the key's.
          ctx.addIssue({ code: "custom", message: "resources.badSchedule" });
          return z.NEVER;
        }
        return parsed.rules;
      }),
    phone: optionalText(50)
      .transform((v) => (v ?? "").normalize("NFKC"))
      .refine((v) => v === "" || /^[0-9+()\-\s]{6,}$/.test(v), "resources.badPhone"),
    email: optionalText(200)
      .transform((v) => v ?? "")
      .refine((v) => v === "" || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), "resources.badEmail"),
    url: optionalText(500)
      .transform((v) => v ?? "")
      .refine((v) => v === "" || /^https?:\/\/[^\s]+$/.test(v), "resources.badUrl"),
    eligibility: text(500, { multiline: true }),
    fees: text(500, { multiline: true }),
    status: z.enum(RESOURCE_STATUSES, { error: "error.invalid" }),
    visibility: z.enum(RESOURCE_VISIBILITIES, { error: "error.invalid" }),
  })
  .superRefine((v, ctx) => {
    if ((v.lat === null) !== (v.lng === null))
      ctx.addIssue({ code: "custom", path: ["lat"], message: "error.coordinatePair" });
  });

export type ResourceInput = z.output<typeof ResourceInputSchema>;

/** The resource's columns for an input, and the value each keeps in the history. */
function columnsOf(input: ResourceInput) {
  return {
    name: input.name,
    aliases_json: JSON.stringify(input.aliases),
    description: input.description,
    category: input.category,
    tags_json: JSON.stringify(input.tags),
    area: input.area,
    organization: input.organization,
    address: input.address,
    lat: input.lat,
    lng: input.lng,
    schedule_text: input.scheduleText,
    schedule_json: JSON.stringify(input.scheduleRules),
    phone: input.phone,
    email: input.email,
    url: input.url,
    eligibility: input.eligibility,
    fees: input.fees,
    status: input.status,
    visibility: input.visibility,
    search_key: resourceSearchKey(input),
  };
}

type Columns = ReturnType<typeof columnsOf>;
/** Columns whose changes are kept (the search key is derived, not a field of its own). */
const TRACKED = [
  "name",
  "aliases_json",
  "description",
  "category",
  "tags_json",
  "area",
  "organization",
  "address",
  "lat",
  "lng",
  "schedule_text",
  "schedule_json",
  "phone",
  "email",
  "url",
  "eligibility",
  "fees",
  "status",
  "visibility",
] as const satisfies ReadonlyArray<keyof Columns>;

const show = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** A public resource may rest only on seeds whose writers consented to anonymised use. */
async function assertConsentForPublic(trx: DB, resourceId: number) {
  const refused = await trx
    .selectFrom("seed as s")
    .innerJoin("page as p", "p.id", "s.page_id")
    .innerJoin("participant as a", "a.id", "p.author_participant_id")
    .select("s.id")
    .where("s.resource_id", "=", resourceId)
    .where("s.status", "in", ["accepted", "merged"])
    .where("a.consent_seeds_on", "is", null)
    .executeTakeFirst();
  if (refused) throw new DomainError("seeds.noConsentPublic", "visibility");
}

/** Writes the history rows of the fields that differ, and returns their names. */
async function recordChanges(
  trx: DB,
  resourceId: number,
  before: Partial<Record<(typeof TRACKED)[number], unknown>>,
  after: Partial<Record<(typeof TRACKED)[number], unknown>>,
  by: StaffBy,
  source: "edit" | "walk" | "import" | "seed",
) {
  const changed = TRACKED.filter((f) => f in after && show(before[f]) !== show(after[f]));
  const at = new Date().toISOString();
  for (const field of changed)
    await trx
      .insertInto("resource_change")
      .values({
        resource_id: resourceId,
        field,
        old_value: show(before[field]),
        new_value: show(after[field]),
        staff_id: by.actor.staffId,
        source,
        changed_at: at,
      })
      .execute();
  return changed;
}

export async function createResource(
  input: ResourceInput,
  by: StaffBy,
  source: "edit" | "import" = "edit",
  trx?: DB,
): Promise<number> {
  const run = async (db: DB) => {
    const cols = columnsOf(input);
    const { id } = await db
      .insertInto("resource")
      .values({ ...cols, created_by_staff_id: by.actor.staffId })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordChanges(db, id, {}, cols, by, source);
    if (source === "edit")
      await writeAudit(db, {
        ...by,
        action: "resource.create",
        entityType: "resource",
        entityId: id,
      });
    return id;
  };
  return trx ? run(trx) : getDb().transaction().execute(run);
}

type Tracked = (typeof TRACKED)[number];
const SEARCHED = ["name", "aliases_json", "description", "tags_json"] as const;

/**
 * Writes the given columns of a resource inside the caller's transaction: one history row per
 * field that differs, the search key again when a searched field changed, and who/when. The one
 * place a resource's fields change (edits, town walks); returns the changed fields.
 */
export async function changeResource(
  trx: DB,
  row: NonNullable<ResourceRow>,
  after: Partial<Pick<NonNullable<ResourceRow>, Tracked>>,
  by: StaffBy,
  source: "edit" | "walk",
): Promise<Tracked[]> {
  const changed = await recordChanges(trx, row.id, row, after, by, source);
  if (changed.length === 0) return changed;
  const merged = { ...row, ...after };
  await trx
    .updateTable("resource")
    .set({
      ...after,
      ...(changed.some((f) => (SEARCHED as readonly string[]).includes(f))
        ? {
            search_key: resourceSearchKey({
              name: merged.name,
              aliases: JSON.parse(merged.aliases_json) as string[],
              description: merged.description,
              tags: JSON.parse(merged.tags_json) as string[],
            }),
          }
        : {}),
      updated_at: new Date().toISOString(),
      updated_by_staff_id: by.actor.staffId,
    })
    .where("id", "=", row.id)
    .execute();
  return changed;
}

/** Reads a resource's row for a change in the caller's transaction. */
export const resourceRowForChange = (trx: DB, id: number) => selectResource(trx, id);

/** Saves an edit; every field that changed is kept in the history. */
export async function updateResource(
  id: number,
  input: ResourceInput,
  by: StaffBy,
  source: "edit" | "walk" = "edit",
): Promise<string[]> {
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const row = await selectResource(trx, id);
      if (!row) throw new DomainError("error.notFound");
      const { search_key: _derived, ...cols } = columnsOf(input);
      if (cols.visibility === "public") await assertConsentForPublic(trx, id);
      const changed = await changeResource(trx, row, cols, by, source);
      if (changed.length === 0) return changed;
      await writeAudit(trx, {
        ...by,
        action: "resource.update",
        entityType: "resource",
        entityId: id,
        detail: { fields: changed, source },
      });
      return changed;
    });
}

/** Records that staff checked the resource (today unless another date is given), and how. */
export async function recordVerification(
  trx: DB,
  id: number,
  how: (typeof VERIFIED_HOW)[number],
  by: StaffBy,
  options: { on?: string; status?: Resource["status"]; source?: "edit" | "walk" } = {},
) {
  const row = await selectResource(trx, id);
  if (!row) throw new DomainError("error.notFound");
  const on = options.on ?? localDate();
  const after = {
    verified_on: on,
    verified_how: how,
    verified_by_staff_id: by.actor.staffId,
    ...(options.status ? { status: options.status } : {}),
  };
  await recordChanges(
    trx,
    id,
    row,
    options.status ? { status: options.status } : {},
    by,
    options.source ?? "edit",
  );
  await trx
    .insertInto("resource_change")
    .values({
      resource_id: id,
      field: "verified_on",
      old_value: row.verified_on,
      new_value: `${on} (${how})`,
      staff_id: by.actor.staffId,
      source: options.source ?? "edit",
    })
    .execute();
  await trx
    .updateTable("resource")
    .set({ ...after, updated_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
}

export const VerifySchema = z.object({
  how: z.enum(VERIFIED_HOW, { error: "resources.chooseHow" }),
  on: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "error.invalid"),
});

export async function verifyResource(
  id: number,
  input: z.output<typeof VerifySchema>,
  by: StaffBy,
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      if (input.on && input.on > localDate()) throw new DomainError("resources.futureDate", "on");
      await recordVerification(trx, id, input.how, by, { on: input.on });
      await writeAudit(trx, {
        ...by,
        action: "resource.verify",
        entityType: "resource",
        entityId: id,
        detail: { how: input.how },
      });
    });
}

export async function getResource(id: number): Promise<Resource | null> {
  const row = await selectResource(getDb(), id);
  return row ? toResource(row) : null;
}

export interface ResourceChange {
  id: number;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  by: string | null;
  source: string;
  at: string;
}

export async function listResourceChanges(id: number): Promise<ResourceChange[]> {
  const rows = await getDb()
    .selectFrom("resource_change as c")
    .leftJoin("staff_user as u", "u.id", "c.staff_id")
    .select([
      "c.id",
      "c.field",
      "c.old_value",
      "c.new_value",
      "u.display_name",
      "c.source",
      "c.changed_at",
    ])
    .where("c.resource_id", "=", id)
    .orderBy("c.id", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
    by: r.display_name,
    source: r.source,
    at: r.changed_at,
  }));
}

export interface ProvenanceSeed {
  seedId: number;
  status: string;
  /** Null once the page was deleted on request (「削除されたページ」). */
  quote: string | null;
  pageId: number | null;
  pageNumber: number | null;
  groupName: string | null;
  entryDate: string | null;
  uploadedOn: string | null;
}

/** For staff only: every seed behind the resource, with its words and where they were written. */
export async function listProvenance(id: number): Promise<ProvenanceSeed[]> {
  const rows = await getDb()
    .selectFrom("seed as s")
    .leftJoin("page as p", "p.id", "s.page_id")
    .leftJoin("diary_group as g", "g.id", "p.group_id")
    .select([
      "s.id",
      "s.status",
      "s.quote",
      "s.page_deleted_at",
      "p.id as pageId",
      "p.page_number",
      "g.name as groupName",
      "p.entry_date",
      "p.uploaded_on",
    ])
    .where("s.resource_id", "=", id)
    .orderBy("s.id")
    .execute();
  return rows.map((r) => ({
    seedId: r.id,
    status: r.status,
    quote: r.pageId === null || r.page_deleted_at ? null : r.quote,
    pageId: r.pageId,
    pageNumber: r.page_number,
    groupName: r.groupName,
    entryDate: r.entry_date,
    uploadedOn: r.uploaded_on,
  }));
}

// ---------------------------------------------------------------------------------------------
// The list (/resources) and its filters.

/** The date `months` months before today, as YYYY-MM-DD. */
function monthsAgo(months: number) {
  const d = new Date(`${localDate()}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

function applyFilters(filters: ResourceFilters, except?: "status") {
  return (eb: ExpressionBuilder<Database, "resource">) => {
    const and = [];
    if (filters.q) {
      const key = searchKey(filters.q);
      if (key) and.push(containsText("resource.search_key", key));
    }
    if (filters.category) and.push(eb("resource.category", "=", filters.category));
    if (filters.tag)
      and.push(
        sql<boolean>`exists (select 1 from ${jsonTextElements("resource.tags_json")}
          where value = ${filters.tag})`,
      );
    if (filters.area) and.push(eb("resource.area", "=", filters.area));
    if (filters.status && except !== "status") and.push(eb("resource.status", "=", filters.status));
    if (filters.visibility) and.push(eb("resource.visibility", "=", filters.visibility));
    if (filters.staleMonths)
      and.push(
        eb.or([
          eb("resource.verified_on", "is", null),
          eb("resource.verified_on", "<", monthsAgo(filters.staleMonths)),
        ]),
      );
    if (filters.located === true) and.push(eb("resource.lat", "is not", null));
    if (filters.located === false) and.push(eb("resource.lat", "is", null));
    return eb.and(and);
  };
}

export interface ResourceListRow {
  id: number;
  name: string;
  category: Resource["category"];
  tags: string[];
  area: string;
  address: string;
  status: Resource["status"];
  visibility: Resource["visibility"];
  verifiedOn: string | null;
  located: boolean;
  seeds: number;
}

export async function listResources(
  filters: ResourceFilters,
  sort: (typeof RESOURCE_SORTS)[number] = "name",
  page = 1,
): Promise<{ rows: ResourceListRow[]; total: number }> {
  const db = getDb();
  let q = db
    .selectFrom("resource")
    .select([
      "resource.id",
      "resource.name",
      "resource.category",
      "resource.tags_json",
      "resource.area",
      "resource.address",
      "resource.status",
      "resource.visibility",
      "resource.verified_on",
      "resource.lat",
      (eb) =>
        eb
          .selectFrom("seed")
          .select(eb.fn.countAll<number>().as("n"))
          .whereRef("seed.resource_id", "=", "resource.id")
          .as("seeds"),
    ])
    .where(applyFilters(filters));
  q =
    sort === "updated"
      ? q.orderBy("resource.updated_at", "desc")
      : sort === "verified"
        ? q.orderBy(sql`resource.verified_on is not null`).orderBy("resource.verified_on")
        : q.orderBy("resource.name");
  const [rows, total] = await Promise.all([
    q
      .orderBy("resource.id")
      .limit(RESOURCE_PAGE_SIZE)
      .offset((page - 1) * RESOURCE_PAGE_SIZE)
      .execute(),
    db
      .selectFrom("resource")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(applyFilters(filters))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      category: r.category,
      tags: JSON.parse(r.tags_json) as string[],
      area: r.area,
      address: r.address,
      status: r.status,
      visibility: r.visibility,
      verifiedOn: r.verified_on,
      located: r.lat !== null,
      seeds: Number(r.seeds ?? 0),
    })),
    total: Number(total.n),
  };
}

/** Counts per status under the other filters (the status tabs). */
export async function countResourcesByStatus(filters: ResourceFilters) {
  const rows = await getDb()
    .selectFrom("resource")
    .select(["resource.status", (eb) => eb.fn.countAll<number>().as("n")])
    .where(applyFilters(filters, "status"))
    .groupBy("resource.status")
    .execute();
  const counts = Object.fromEntries(RESOURCE_STATUSES.map((s) => [s, 0])) as Record<
    Resource["status"],
    number
  >;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Every resource matching the filters, whole (for exports and the map). */
export async function listResourcesFull(
  filters: ResourceFilters,
  options: { publicOnly?: boolean; ids?: number[]; db?: DB } = {},
): Promise<Resource[]> {
  // Every column `toResource` reads, and no other (not the search key, not who changed it).
  let q = (options.db ?? getDb())
    .selectFrom("resource")
    .select(RESOURCE_COLUMNS)
    .where(applyFilters(filters));
  if (options.publicOnly) q = q.where(PUBLIC_RESOURCE);
  if (options.ids) q = q.where("resource.id", "in", options.ids.length ? options.ids : [0]);
  const rows = await q.orderBy("resource.area").orderBy("resource.name").execute();
  return rows.map(toResource);
}

/**
 * Id and last change of every resource matching the filters, in the order of `listResourcesFull`:
 * what an export needs to reuse what it made before for resources that did not change.
 */
export async function listResourceStamps(
  filters: ResourceFilters,
  options: { publicOnly?: boolean; db?: DB } = {},
): Promise<Array<{ id: number; updatedAt: string }>> {
  let q = (options.db ?? getDb())
    .selectFrom("resource")
    .select(["resource.id as id", "resource.updated_at as updatedAt"])
    .where(applyFilters(filters));
  if (options.publicOnly) q = q.where(PUBLIC_RESOURCE);
  return q.orderBy("resource.area").orderBy("resource.name").execute();
}

/**
 * The located resources matching the filters, with only what the map shows, as one JSON array of
 * `MapRow` built by the database itself (fast for 5 000: no row objects, no per-value encoding).
 */
export async function resourceMapRowsJson(filters: ResourceFilters): Promise<string> {
  const db = getDb();
  const rowsJson =
    dialectOf(db) === "postgres"
      ? sql<string>`cast(coalesce(json_agg(json_build_array(resource.id, resource.lat, resource.lng,
        resource.category, resource.status, resource.area, resource.name, resource.address,
        resource.schedule_text, cast(resource.schedule_json as json))), '[]') as text)`
      : sql<string>`coalesce(json_group_array(json_array(resource.id, resource.lat, resource.lng,
        resource.category, resource.status, resource.area, resource.name, resource.address,
        resource.schedule_text, json(resource.schedule_json))), '[]')`;
  const { rows } = await db
    .selectFrom("resource")
    .select(rowsJson.as("rows"))
    .where(applyFilters({ ...filters, located: true }))
    .executeTakeFirstOrThrow();
  return rows;
}

/** The one rule for what the public sees: public and active. Nothing else leaves for the public. */
export const PUBLIC_RESOURCE = (eb: ExpressionBuilder<Database, "resource">) =>
  eb.and([eb("resource.visibility", "=", "public"), eb("resource.status", "=", "active")]);

export async function listResourceFilterOptions() {
  const db = getDb();
  const [areas, tags] = await Promise.all([
    db
      .selectFrom("resource")
      .select("area")
      .distinct()
      .where("area", "!=", "")
      .orderBy("area")
      .execute(),
    sql<{ tag: string }>`select distinct value as tag
      from resource, ${jsonTextElements("resource.tags_json")} order by tag limit 500`
      .execute(db)
      .then((r) => r.rows),
  ]);
  return { areas: areas.map((a) => a.area), tags: tags.map((t) => t.tag) };
}

// ---------------------------------------------------------------------------------------------
// Import of an existing list (the 社協's CSV): the preview is app/resources/csv-import; this
// writes the confirmed rows.

/** Folded name + area of every resource, to find duplicates before an import. */
export async function resourceDuplicateKeys(): Promise<Set<string>> {
  const rows = await getDb().selectFrom("resource").select(["name", "area"]).execute();
  return new Set(rows.map((r) => resourceDuplicateKey(r.name, r.area)));
}

/**
 * Writes the rows staff confirmed, all or nothing, with one audit entry for the import. Rows whose
 * name and area a resource has by now (another import, an edit) are skipped and counted.
 */
export async function importResources(
  rows: ImportedResource[],
  meta: { fileName: string; encoding: string },
  by: StaffBy,
): Promise<{ created: number; skipped: number }> {
  if (rows.length === 0) throw new DomainError("resources.import.nothing");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const existing = new Set(
        (await trx.selectFrom("resource").select(["name", "area"]).execute()).map((r) =>
          resourceDuplicateKey(r.name, r.area),
        ),
      );
      let created = 0;
      let skipped = 0;
      for (const r of rows) {
        const key = resourceDuplicateKey(r.name, r.area);
        if (existing.has(key)) {
          skipped++;
          continue;
        }
        existing.add(key);
        await createResource(
          {
            name: r.name,
            aliases: r.aliases,
            description: r.description,
            category: r.category,
            tags: r.tags,
            area: r.area,
            organization: r.organization,
            address: r.address,
            lat: r.lat,
            lng: r.lng,
            scheduleText: r.scheduleText,
            scheduleRules: r.schedule,
            phone: r.phone,
            email: r.email,
            url: r.url,
            eligibility: r.eligibility,
            fees: r.fees,
            status: r.status,
            visibility: r.visibility,
          },
          by,
          "import",
          trx,
        );
        created++;
      }
      await writeAudit(trx, {
        ...by,
        action: "resource.import",
        entityType: "resource",
        entityId: null,
        detail: { created, skipped, file: meta.fileName.slice(0, 200), encoding: meta.encoding },
      });
      return { created, skipped };
    });
}
