/**
 * Diary groups. A group has exactly three current members (left_on null), each at a rotation
 * position 1–3; it can be active only with all three. Who is in a group, and adding, replacing
 * and removing members, is in group-members.server.ts; what participants see of their group, in
 * participant-view.server.ts.
 */
import { z } from "zod";
import type { DiaryGroup, GroupStatus } from "../../db/schema";
import { GROUP_SIZE, GROUP_TRANSITIONS } from "./constants";
import {
  assertCanJoin,
  currentMembers,
  listMembers,
  type MemberInfo,
} from "./group-members.server";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { getDb, type DB } from "~/utils/db.server";
import { containsText } from "~/utils/sql.server";
import { DomainError, requiredId, optionalId, requiredText } from "~/utils/forms.server";

const intervalDays = z
  .string({ error: "error.required" })
  .trim()
  .regex(/^\d{1,3}$/, "error.interval")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 90, "error.interval");

export const GroupUpdateSchema = z.object({
  name: requiredText(40),
  healthRoomId: requiredId(),
  handoffIntervalDays: intervalDays,
  notebookLabel: requiredText(40),
});

export const GroupCreateSchema = GroupUpdateSchema.extend({
  cohortId: requiredId(),
  member1: optionalId(),
  member2: optionalId(),
  member3: optionalId(),
});

export type GroupCreateInput = z.output<typeof GroupCreateSchema>;
export type GroupUpdateInput = z.output<typeof GroupUpdateSchema>;

export interface GroupDetail extends DiaryGroup {
  cohortName: string;
  healthRoomName: string;
  notebookId: number;
  notebookLabel: string;
  /** Current members in rotation order. */
  members: MemberInfo[];
  /** Everyone who has left, newest first. */
  formerMembers: MemberInfo[];
}

export async function getGroup(id: number): Promise<GroupDetail | undefined> {
  const db = getDb();
  const row = await db
    .selectFrom("diary_group as g")
    .innerJoin("cohort as c", "c.id", "g.cohort_id")
    .innerJoin("health_room as r", "r.id", "g.health_room_id")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .selectAll("g")
    .select([
      "c.name as cohortName",
      "r.name as healthRoomName",
      "n.id as notebookId",
      "n.label as notebookLabel",
    ])
    .where("g.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const all = await listMembers(id, db);
  return {
    ...row,
    members: all.filter((m) => m.leftOn === null).sort((a, b) => a.position - b.position),
    formerMembers: all.filter((m) => m.leftOn !== null),
  };
}

export interface GroupListItem {
  id: number;
  name: string;
  status: GroupStatus;
  cohortId: number;
  cohortName: string;
  healthRoomName: string;
  notebookLabel: string;
  memberPenNames: string[];
}

export async function listGroups(options: {
  cohortId?: number | null;
  status?: GroupStatus | null;
}) {
  const db = getDb();
  let query = db
    .selectFrom("diary_group as g")
    .innerJoin("cohort as c", "c.id", "g.cohort_id")
    .innerJoin("health_room as r", "r.id", "g.health_room_id")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .select([
      "g.id",
      "g.name",
      "g.status",
      "g.cohort_id",
      "c.name as cohort_name",
      "r.name as room_name",
      "n.label as notebook_label",
    ]);
  if (options.cohortId) query = query.where("g.cohort_id", "=", options.cohortId);
  if (options.status) query = query.where("g.status", "=", options.status);
  const groups = await query.orderBy("c.starts_on", "desc").orderBy("g.name").execute();
  // The members of the listed groups only (the dashboard lists the few forming groups).
  let membersQuery = db
    .selectFrom("group_member as m")
    .innerJoin("participant as p", "p.id", "m.participant_id")
    .innerJoin("diary_group as mg", "mg.id", "m.group_id")
    .select(["m.group_id", "p.pen_name"])
    .where("m.left_on", "is", null);
  if (options.cohortId) membersQuery = membersQuery.where("mg.cohort_id", "=", options.cohortId);
  if (options.status) membersQuery = membersQuery.where("mg.status", "=", options.status);
  const members = await membersQuery.orderBy("m.position").execute();
  const byGroup = new Map<number, string[]>();
  for (const m of members)
    byGroup.set(m.group_id, [...(byGroup.get(m.group_id) ?? []), m.pen_name]);
  return groups.map((g): GroupListItem => ({
    id: g.id,
    name: g.name,
    status: g.status,
    cohortId: g.cohort_id,
    cohortName: g.cohort_name,
    healthRoomName: g.room_name,
    notebookLabel: g.notebook_label,
    memberPenNames: byGroup.get(g.id) ?? [],
  }));
}

async function assertGroupNameFree(trx: DB, cohortId: number, name: string, exceptId?: number) {
  let query = trx
    .selectFrom("diary_group")
    .select("id")
    .where("cohort_id", "=", cohortId)
    .where("name", "=", name);
  if (exceptId) query = query.where("id", "!=", exceptId);
  if (await query.executeTakeFirst()) throw new DomainError("error.nameTaken", "name");
}

export async function createGroup(
  input: GroupCreateInput,
  by: { actor: Actor; ip?: string },
): Promise<number> {
  const memberIds = [input.member1, input.member2, input.member3];
  const chosen = memberIds.filter((id): id is number => id !== null);
  if (new Set(chosen).size !== chosen.length) throw new DomainError("error.memberTwice", "member2");
  return getDb()
    .transaction()
    .execute(async (trx) => {
      const cohort = await trx
        .selectFrom("cohort")
        .select("id")
        .where("id", "=", input.cohortId)
        .executeTakeFirst();
      if (!cohort) throw new DomainError("error.required", "cohortId");
      const room = await trx
        .selectFrom("health_room")
        .select("id")
        .where("id", "=", input.healthRoomId)
        .executeTakeFirst();
      if (!room) throw new DomainError("error.required", "healthRoomId");
      await assertGroupNameFree(trx, input.cohortId, input.name);
      for (const [i, id] of memberIds.entries()) {
        if (id !== null) await assertCanJoin(trx, input.cohortId, id, `member${i + 1}`);
      }
      const { id } = await trx
        .insertInto("diary_group")
        .values({
          cohort_id: input.cohortId,
          name: input.name,
          health_room_id: input.healthRoomId,
          handoff_interval_days: input.handoffIntervalDays,
          status: "forming",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("notebook")
        .values({ group_id: id, label: input.notebookLabel })
        .execute();
      const today = localDate();
      for (const [i, participantId] of memberIds.entries()) {
        if (participantId === null) continue;
        await trx
          .insertInto("group_member")
          .values({
            group_id: id,
            participant_id: participantId,
            position: i + 1,
            joined_on: today,
          })
          .execute();
      }
      await writeAudit(trx, {
        ...by,
        action: "group.create",
        entityType: "diary_group",
        entityId: id,
        detail: { name: input.name, members: chosen },
      });
      return id;
    });
}

export async function updateGroup(
  id: number,
  input: GroupUpdateInput,
  by: { actor: Actor; ip?: string },
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const group = await trx
        .selectFrom("diary_group")
        .select("cohort_id")
        .where("id", "=", id)
        .executeTakeFirst();
      if (!group) throw new DomainError("error.notFound");
      const room = await trx
        .selectFrom("health_room")
        .select("id")
        .where("id", "=", input.healthRoomId)
        .executeTakeFirst();
      if (!room) throw new DomainError("error.required", "healthRoomId");
      await assertGroupNameFree(trx, group.cohort_id, input.name, id);
      const now = new Date().toISOString();
      await trx
        .updateTable("diary_group")
        .set({
          name: input.name,
          health_room_id: input.healthRoomId,
          handoff_interval_days: input.handoffIntervalDays,
          updated_at: now,
        })
        .where("id", "=", id)
        .execute();
      await trx
        .updateTable("notebook")
        .set({ label: input.notebookLabel, updated_at: now })
        .where("group_id", "=", id)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "group.update",
        entityType: "diary_group",
        entityId: id,
        detail: input,
      });
    });
}

export async function setGroupStatus(
  groupId: number,
  status: GroupStatus,
  by: { actor: Actor; ip?: string },
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const group = await trx
        .selectFrom("diary_group")
        .select("status")
        .where("id", "=", groupId)
        .executeTakeFirst();
      if (!group) throw new DomainError("error.notFound");
      if (!GROUP_TRANSITIONS[group.status].includes(status)) throw new DomainError("error.invalid");
      if (status === "active") {
        const members = await currentMembers(trx, groupId);
        if (members.length !== GROUP_SIZE) throw new DomainError("error.needThree");
      }
      await trx
        .updateTable("diary_group")
        .set({ status, updated_at: new Date().toISOString() })
        .where("id", "=", groupId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "group.status_change",
        entityType: "diary_group",
        entityId: groupId,
        detail: { from: group.status, to: status },
      });
    });
}

/** Groups the scanning station can pick: by group name, notebook label or a member's pen name. */
export async function searchGroupsForScan(q: string) {
  const db = getDb();
  let query = db
    .selectFrom("diary_group as g")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .innerJoin("cohort as c", "c.id", "g.cohort_id")
    .select(["g.id", "g.name", "n.label", "c.name as cohortName"])
    .where("g.status", "!=", "finished");
  if (q.trim()) {
    query = query.where((eb) =>
      eb.or([
        containsText("g.name", q),
        containsText("n.label", q),
        eb.exists(
          eb
            .selectFrom("group_member as m")
            .innerJoin("participant as p", "p.id", "m.participant_id")
            .select("m.id")
            .whereRef("m.group_id", "=", "g.id")
            .where("m.left_on", "is", null)
            .where(containsText("p.pen_name", q)),
        ),
      ]),
    );
  }
  return query.orderBy("c.starts_on", "desc").orderBy("g.name").limit(50).execute();
}

export async function setGroupDefaultLayout(
  groupId: number,
  layout: "auto" | "horizontal" | "vertical",
  by: { actor: Actor; ip?: string },
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx
        .updateTable("diary_group")
        .set({ default_layout: layout })
        .where("id", "=", groupId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "group.update",
        entityType: "diary_group",
        entityId: groupId,
        detail: { defaultLayout: layout },
      });
    });
}
