import { AUDIT_ACTIONS, type AuditAction } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";

export const AUDIT_PAGE_SIZE = 50;

export async function listAuditLog(options: {
  page: number;
  entityType?: string | null;
  action?: AuditAction | null;
}) {
  let query = getDb()
    .selectFrom("audit_log as a")
    .leftJoin("staff_user as s", "s.id", "a.actor_staff_id")
    .leftJoin("participant as p", "p.id", "a.actor_participant_id")
    .select([
      "a.id",
      "a.at",
      "a.actor_type",
      "s.display_name as staff_name",
      "p.pen_name as participant_pen_name",
      "a.action",
      "a.entity_type",
      "a.entity_id",
      "a.detail",
      "a.ip",
    ]);
  if (options.entityType) query = query.where("a.entity_type", "=", options.entityType);
  if (options.action) query = query.where("a.action", "=", options.action);
  const rows = await query
    .orderBy("a.id", "desc")
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((options.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/** What the filters offer: the entity types in the log, and every action the app writes. */
export async function listAuditFacets() {
  const entityTypes = await getDb()
    .selectFrom("audit_log")
    .select("entity_type")
    .distinct()
    .orderBy("entity_type")
    .execute();
  return { entityTypes: entityTypes.map((r) => r.entity_type), actions: AUDIT_ACTIONS };
}
