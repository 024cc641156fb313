/**
 * Pages a writer asked to hide from their group (issue 14). The request takes effect at once
 * (`page.hidden`, which the group's diary rule already leaves out); staff see it on the dashboard
 * and the page, and only staff can show the page again. Every step is audited.
 */
import type { Actor } from "~/utils/audit.server";
import { writeAudit } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { visibleToGroup } from "./review.server";

interface By {
  actor: Actor;
  ip?: string;
}

/**
 * A participant asks for one of their own pages, as their group sees it now, to be hidden.
 * Anything else (another writer's page, another group's, a page the group does not see) is
 * "not found": the participant learns nothing about pages they cannot see.
 */
export async function requestHide(
  pageId: number,
  by: By & { participantId: number; groupId: number },
): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const now = new Date().toISOString();
      const updated = await trx
        .updateTable("page as p")
        .set({
          hidden: 1,
          hidden_at: now,
          hide_requested_by_participant_id: by.participantId,
          hide_requested_at: now,
          hide_seen_at: null,
        })
        .where("p.id", "=", pageId)
        .where("p.author_participant_id", "=", by.participantId)
        .where(visibleToGroup(by.groupId))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        // Asked twice (a double tap, a form sent again): already done, and said so again.
        const already = await trx
          .selectFrom("page")
          .select("id")
          .where("id", "=", pageId)
          .where("group_id", "=", by.groupId)
          .where("hidden", "=", 1)
          .where("hide_requested_by_participant_id", "=", by.participantId)
          .executeTakeFirst();
        if (already) return;
        throw new DomainError("error.notFound");
      }
      await writeAudit(trx, {
        actor: by.actor,
        ip: by.ip,
        action: "page.hide_request",
        entityType: "page",
        entityId: pageId,
      });
    });
}

/** Staff saw the request and keep the page hidden: it leaves the dashboard. */
export async function keepHidden(pageId: number, by: By): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const updated = await trx
        .updateTable("page")
        .set({ hide_seen_at: new Date().toISOString() })
        .where("id", "=", pageId)
        .where("hidden", "=", 1)
        .where("hide_requested_at", "is not", null)
        .where("hide_seen_at", "is", null)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new DomainError("visibility.notRequested");
      await writeAudit(trx, {
        ...by,
        action: "page.hide_keep",
        entityType: "page",
        entityId: pageId,
      });
    });
}

/** Staff show a hidden page to its group again (the group's other rules still apply). */
export async function showAgain(pageId: number, by: By): Promise<void> {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const page = await trx
        .selectFrom("page")
        .select(["hidden", "hide_requested_at", "hide_requested_by_participant_id"])
        .where("id", "=", pageId)
        .executeTakeFirst();
      if (!page || page.hidden !== 1) throw new DomainError("visibility.notHidden");
      await trx
        .updateTable("page")
        .set({
          hidden: 0,
          hidden_at: null,
          hide_requested_by_participant_id: null,
          hide_requested_at: null,
          hide_seen_at: null,
        })
        .where("id", "=", pageId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "page.show",
        entityType: "page",
        entityId: pageId,
        detail: { requestedAt: page.hide_requested_at },
      });
    });
}

export interface HideState {
  hidden: boolean;
  hiddenAt: string | null;
  requestedBy: string | null;
  requestedAt: string | null;
  seenAt: string | null;
}

/** Whether a page is hidden from its group, and at whose request (pen name), for staff. */
export async function getHideState(pageId: number): Promise<HideState | null> {
  const row = await getDb()
    .selectFrom("page as p")
    .leftJoin("participant as a", "a.id", "p.hide_requested_by_participant_id")
    .select(["p.hidden", "p.hidden_at", "a.pen_name", "p.hide_requested_at", "p.hide_seen_at"])
    .where("p.id", "=", pageId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    hidden: row.hidden === 1,
    hiddenAt: row.hidden_at,
    requestedBy: row.pen_name,
    requestedAt: row.hide_requested_at,
    seenAt: row.hide_seen_at,
  };
}

export interface HideRequest {
  pageId: number;
  groupId: number;
  groupName: string;
  pageNumber: number;
  penName: string | null;
  requestedAt: string;
}

/** Requests staff have not seen yet, oldest first, for the dashboard. */
export async function listOpenHideRequests(): Promise<HideRequest[]> {
  const rows = await getDb()
    .selectFrom("page as p")
    .innerJoin("diary_group as g", "g.id", "p.group_id")
    .leftJoin("participant as a", "a.id", "p.hide_requested_by_participant_id")
    .select([
      "p.id",
      "g.id as groupId",
      "g.name as groupName",
      "p.page_number",
      "a.pen_name",
      "p.hide_requested_at",
    ])
    .where("p.hidden", "=", 1)
    .where("p.hide_requested_at", "is not", null)
    .where("p.hide_seen_at", "is", null)
    .orderBy("p.hide_requested_at")
    .execute();
  return rows.map((r) => ({
    pageId: r.id,
    groupId: r.groupId,
    groupName: r.groupName,
    pageNumber: r.page_number,
    penName: r.pen_name,
    requestedAt: r.hide_requested_at!,
  }));
}
