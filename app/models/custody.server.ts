/**
 * Notebook custody. The handoff table is the log and the truth: the latest handoff of a notebook
 * says who holds it (null = the health room) and when it is due back. Nothing is denormalised.
 */
import { sql } from "kysely";
import { z } from "zod";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { addDays, localDate, localDateTimeToIso } from "~/utils/dates";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, requiredId, optionalDate, optionalText } from "~/utils/forms.server";
import { listMembers, type MemberInfo } from "./group-members.server";

export const HandoffSchema = z.object({
  /** A member's participant id, or "room" for "returned to the health room". */
  to: z.string({ error: "error.required" }).regex(/^(room|[1-9][0-9]*)$/, "error.required"),
  healthRoomId: requiredId(),
  handedAt: z
    .string({ error: "error.required" })
    .trim()
    .min(1, "error.required")
    .transform((v, ctx) => {
      const iso = localDateTimeToIso(v);
      if (!iso) {
        ctx.addIssue({ code: "custom", message: "error.dateTime" });
        return z.NEVER;
      }
      return iso;
    }),
  dueOn: optionalDate(),
  note: optionalText(300).transform((v) => v ?? ""),
});

export type HandoffInput = z.output<typeof HandoffSchema>;

export interface HandoffView {
  id: number;
  handedAt: string;
  fromPenName: string | null;
  toPenName: string | null;
  toParticipantId: number | null;
  fromParticipantId: number | null;
  healthRoomName: string;
  recordedBy: string;
  dueOn: string | null;
  note: string;
}

function handoffQuery(db: DB) {
  return db
    .selectFrom("handoff as h")
    .leftJoin("participant as pf", "pf.id", "h.from_participant_id")
    .leftJoin("participant as pt", "pt.id", "h.to_participant_id")
    .innerJoin("health_room as r", "r.id", "h.health_room_id")
    .innerJoin("staff_user as s", "s.id", "h.recorded_by_staff_id")
    .select([
      "h.id",
      "h.notebook_id",
      "h.handed_at",
      "pf.pen_name as from_pen_name",
      "pt.pen_name as to_pen_name",
      "h.from_participant_id",
      "h.to_participant_id",
      "r.name as room_name",
      "s.display_name as staff_name",
      "h.due_on",
      "h.note",
    ]);
}

function toView(
  r: Awaited<ReturnType<ReturnType<typeof handoffQuery>["execute"]>>[number],
): HandoffView {
  return {
    id: r.id,
    handedAt: r.handed_at,
    fromPenName: r.from_pen_name,
    toPenName: r.to_pen_name,
    fromParticipantId: r.from_participant_id,
    toParticipantId: r.to_participant_id,
    healthRoomName: r.room_name,
    recordedBy: r.staff_name,
    dueOn: r.due_on,
    note: r.note,
  };
}

export async function listHandoffs(notebookId: number, limit = 100): Promise<HandoffView[]> {
  const rows = await handoffQuery(getDb())
    .where("h.notebook_id", "=", notebookId)
    .orderBy("h.handed_at", "desc")
    .orderBy("h.id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toView);
}

export async function listRecentHandoffs(limit = 10) {
  const rows = await handoffQuery(getDb())
    .innerJoin("notebook as n", "n.id", "h.notebook_id")
    .innerJoin("diary_group as g", "g.id", "n.group_id")
    .select(["g.id as group_id", "g.name as group_name"])
    .orderBy("h.handed_at", "desc")
    .orderBy("h.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toView(r), groupId: r.group_id, groupName: r.group_name }));
}

async function lastHandoff(db: DB, notebookId: number) {
  return db
    .selectFrom("handoff")
    .selectAll()
    .where("notebook_id", "=", notebookId)
    .orderBy("handed_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();
}

/**
 * The member after `afterParticipantId` in rotation. Someone who has since left is placed by the
 * position they held, so a replacement does not break the order.
 */
export function nextInRotation(
  members: MemberInfo[],
  afterParticipantId: number | null,
): MemberInfo | null {
  const current = members.filter((m) => m.leftOn === null).sort((a, b) => a.position - b.position);
  if (current.length === 0) return null;
  if (afterParticipantId === null) return current[0]!;
  const after =
    members.find((m) => m.participantId === afterParticipantId && m.leftOn === null) ??
    members.find((m) => m.participantId === afterParticipantId);
  if (!after) return current[0]!;
  return current.find((m) => m.position > after.position) ?? current[0]!;
}

export interface CustodyState {
  /** The member holding the notebook, or null when it is at the health room. */
  holder: { participantId: number; penName: string } | null;
  since: string | null;
  dueOn: string | null;
  /** Where it was last handed over. */
  lastRoomName: string | null;
  /** Who should take it next. */
  suggestedNext: { participantId: number; penName: string } | null;
}

export async function getCustodyState(groupId: number, notebookId: number): Promise<CustodyState> {
  const db = getDb();
  const [members, last] = await Promise.all([
    listMembers(groupId, db),
    lastHandoff(db, notebookId),
  ]);
  const penName = (id: number) => members.find((m) => m.participantId === id)?.penName ?? "";
  const holderId = last?.to_participant_id ?? null;
  // While someone holds it, the next one is after them; at the room, after the one who returned it.
  const next = nextInRotation(members, holderId ?? last?.from_participant_id ?? null);
  const room = last
    ? await db
        .selectFrom("health_room")
        .select("name")
        .where("id", "=", last.health_room_id)
        .executeTakeFirst()
    : undefined;
  return {
    holder: holderId ? { participantId: holderId, penName: penName(holderId) } : null,
    since: last?.handed_at ?? null,
    dueOn: last?.due_on ?? null,
    lastRoomName: room?.name ?? null,
    suggestedNext: next ? { participantId: next.participantId, penName: next.penName } : null,
  };
}

export async function recordHandoff(
  groupId: number,
  input: HandoffInput,
  by: { actor: Actor & { type: "staff" }; ip?: string },
) {
  const db = getDb();
  return db.transaction().execute(async (trx) => {
    const group = await trx
      .selectFrom("diary_group as g")
      .innerJoin("notebook as n", "n.group_id", "g.id")
      .select(["g.status", "g.handoff_interval_days", "n.id as notebook_id"])
      .where("g.id", "=", groupId)
      .executeTakeFirst();
    if (!group) throw new DomainError("error.notFound");
    if (group.status !== "active") throw new DomainError("error.groupNotActive");
    const room = await trx
      .selectFrom("health_room")
      .select("id")
      .where("id", "=", input.healthRoomId)
      .executeTakeFirst();
    if (!room) throw new DomainError("error.required", "healthRoomId");

    const members = (await listMembers(groupId, trx)).filter((m) => m.leftOn === null);
    const to = input.to === "room" ? null : Number(input.to);
    if (to !== null && !members.some((m) => m.participantId === to))
      throw new DomainError("error.notAMember", "to");

    const last = await lastHandoff(trx, group.notebook_id);
    const from = last?.to_participant_id ?? null;
    if (to === from)
      throw new DomainError(to === null ? "error.alreadyAtRoom" : "error.alreadyHolds", "to");
    if (Date.parse(input.handedAt) > Date.now() + 5 * 60 * 1000)
      throw new DomainError("error.inFuture", "handedAt");
    if (last && input.handedAt < last.handed_at)
      throw new DomainError("error.beforeLastHandoff", "handedAt");

    const handedOn = localDate(input.handedAt);
    let dueOn: string | null = null;
    if (to !== null) {
      dueOn = input.dueOn ?? addDays(handedOn, group.handoff_interval_days);
      if (dueOn < handedOn) throw new DomainError("error.dueBeforeHandoff", "dueOn");
    }
    const { id } = await trx
      .insertInto("handoff")
      .values({
        notebook_id: group.notebook_id,
        from_participant_id: from,
        to_participant_id: to,
        health_room_id: input.healthRoomId,
        recorded_by_staff_id: by.actor.staffId,
        handed_at: input.handedAt,
        due_on: dueOn,
        note: input.note,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      ...by,
      action: "handoff.record",
      entityType: "handoff",
      entityId: id,
      detail: { groupId, from, to, dueOn },
    });
    return { id, dueOn };
  });
}

export interface NotebookStatus {
  groupId: number;
  groupName: string;
  notebookLabel: string;
  healthRoomName: string;
  holderPenName: string | null;
  holderParticipantId: number | null;
  since: string | null;
  dueOn: string | null;
}

/** Where every active group's notebook is, for the dashboard. */
export async function listNotebookStatuses(): Promise<NotebookStatus[]> {
  const rows = await getDb()
    .selectFrom("diary_group as g")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .innerJoin("health_room as r", "r.id", "g.health_room_id")
    .leftJoin("handoff as h", (join) =>
      join
        .onRef("h.notebook_id", "=", "n.id")
        .on(
          "h.id",
          "=",
          sql<number>`(select h2.id from handoff h2 where h2.notebook_id = n.id order by h2.handed_at desc, h2.id desc limit 1)`,
        ),
    )
    .leftJoin("participant as p", "p.id", "h.to_participant_id")
    .select([
      "g.id",
      "g.name",
      "n.label",
      "r.name as room_name",
      "p.pen_name",
      "h.to_participant_id",
      "h.handed_at",
      "h.due_on",
    ])
    .where("g.status", "=", "active")
    .orderBy("h.due_on")
    .orderBy("g.name")
    .execute();
  return rows.map((r) => ({
    groupId: r.id,
    groupName: r.name,
    notebookLabel: r.label,
    healthRoomName: r.room_name,
    holderPenName: r.pen_name,
    holderParticipantId: r.to_participant_id,
    since: r.handed_at,
    dueOn: r.due_on,
  }));
}
