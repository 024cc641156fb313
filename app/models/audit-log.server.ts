/**
 * Reading the audit log for administrators: the filtered list a page at a time, its count, the
 * choices the filters offer, and the rows for an export in batches. Writing is
 * app/utils/audit.server.ts (`writeAudit`); the log is append-only (decision 020), which is what
 * lets an export page through it by id without missing or repeating a row.
 */
import { sql } from "kysely";
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_TYPES,
  type AuditAction,
  type AuditEntityType,
} from "~/utils/audit-actions";
import { AUDIT_PAGE_SIZE, auditInstantRange, type AuditFilters } from "~/utils/audit-filters";
import { getDb } from "~/utils/db.server";

export { AUDIT_PAGE_SIZE };

function filtered(filters: AuditFilters) {
  let query = getDb().selectFrom("audit_log as a");
  const who = filters.who;
  // `actor_staff_id` / `actor_participant_id` are set only on rows of that actor type
  // (writeAudit): one account's rows need no `actor_type` test, and its index gives them in order.
  if (who?.type === "staff" && who.id !== undefined)
    query = query.where("a.actor_staff_id", "=", who.id);
  else if (who?.type === "participant" && who.id !== undefined)
    query = query.where("a.actor_participant_id", "=", who.id);
  else if (who) query = query.where("a.actor_type", "=", who.type);
  if (filters.action) query = query.where("a.action", "=", filters.action);
  if (filters.entityType) query = query.where("a.entity_type", "=", filters.entityType);
  if (filters.entityType && filters.entityId)
    query = query.where("a.entity_id", "=", filters.entityId);
  const { fromIso, beforeIso } = auditInstantRange(filters);
  if (fromIso) query = query.where("a.at", ">=", fromIso);
  if (beforeIso) query = query.where("a.at", "<", beforeIso);
  return query;
}

function withActors(filters: AuditFilters) {
  return filtered(filters)
    .leftJoin("staff_user as s", "s.id", "a.actor_staff_id")
    .leftJoin("participant as p", "p.id", "a.actor_participant_id")
    .select([
      "a.id",
      "a.at",
      "a.actor_type",
      "a.actor_staff_id",
      "a.actor_participant_id",
      "s.display_name as staff_name",
      "s.login as staff_login",
      "p.pen_name as participant_pen_name",
      "a.action",
      "a.entity_type",
      "a.entity_id",
      "a.detail",
      "a.ip",
    ]);
}

/** The query of one page (exported so a test can read its plan). */
export function auditLogPageQuery(filters: AuditFilters, page: number) {
  return withActors(filters)
    .orderBy("a.at", "desc")
    .orderBy("a.id", "desc")
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
}

export type AuditRow = Awaited<ReturnType<typeof listAuditLog>>["rows"][number];

/**
 * One page of the filtered log, newest first: by `at`, then `id` (the order every filter's
 * index holds its rows in, migration 2026_12_05_0300).
 */
export async function listAuditLog(filters: AuditFilters, page: number) {
  const rows = await auditLogPageQuery(filters, page).execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/**
 * How many rows the filters match, among those up to `upToId` when given. With `atMost`, the
 * count stops there (a screen says "more than 10 000" rather than count a million rows on
 * every page); an export counts exactly.
 */
export async function countAuditLog(
  filters: AuditFilters,
  options: { upToId?: number; atMost?: number } = {},
): Promise<number> {
  let query = filtered(filters);
  if (options.upToId !== undefined) query = query.where("a.id", "<=", options.upToId);
  const counted =
    options.atMost === undefined
      ? query.select((eb) => eb.fn.countAll<number>().as("n"))
      : getDb()
          .selectFrom(query.select("a.id").limit(options.atMost).as("m"))
          .select((eb) => eb.fn.countAll<number>().as("n"));
  const row = await counted.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest row's id: an export stops there, so rows written meanwhile are not half in it. */
export async function lastAuditId(): Promise<number> {
  const row = await getDb()
    .selectFrom("audit_log")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * The filtered rows up to `upToId`, in the view's order, `batchSize` at a time. Each batch is its
 * own short query that starts after the last row of the one before (by `at, id`), so a long
 * export never holds the database connection the app shares; the log being append-only, the
 * rows up to `upToId` are the same set from the first batch to the last.
 */
export async function* iterateAuditLog(
  filters: AuditFilters,
  upToId: number,
  batchSize = 1000,
): AsyncGenerator<AuditRow[]> {
  let after: { at: string; id: number } | null = null;
  for (;;) {
    let query = withActors(filters).where("a.id", "<=", upToId);
    if (after) {
      const { at, id } = after;
      query = query.where((eb) =>
        eb.or([eb("a.at", "<", at), eb.and([eb("a.at", "=", at), eb("a.id", "<", id)])]),
      );
    }
    const rows = await query
      .orderBy("a.at", "desc")
      .orderBy("a.id", "desc")
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

/**
 * What the filters offer: every staff account (active or not), every participant who appears
 * in the log as the one who acted (one deleted on request keeps their number, without a name),
 * the actions the app writes and the kinds of record.
 */
export async function listAuditFacets(): Promise<{
  staff: { id: number; name: string; login: string; active: boolean }[];
  participants: { id: number; penName: string | null; realName: string | null }[];
  actions: readonly AuditAction[];
  entityTypes: readonly AuditEntityType[];
}> {
  const db = getDb();
  const [staff, participants] = await Promise.all([
    db
      .selectFrom("staff_user")
      .select(["id", "display_name", "login", "active"])
      .orderBy("active", "desc")
      .orderBy("display_name")
      .execute(),
    db
      .selectFrom(
        db
          .selectFrom("audit_log")
          .select("actor_participant_id as id")
          .distinct()
          .where("actor_participant_id", "is not", null)
          .as("l"),
      )
      .leftJoin("participant as p", "p.id", "l.id")
      .select(["l.id", "p.pen_name", "p.real_name"])
      .orderBy(sql`p.pen_name is null`)
      .orderBy("p.pen_name")
      .orderBy("l.id")
      .execute(),
  ]);
  return {
    staff: staff.map((s) => ({
      id: s.id,
      name: s.display_name,
      login: s.login,
      active: s.active === 1,
    })),
    participants: participants.map((p) => ({
      id: Number(p.id),
      penName: p.pen_name,
      realName: p.real_name,
    })),
    actions: AUDIT_ACTIONS,
    entityTypes: AUDIT_ENTITY_TYPES,
  };
}
