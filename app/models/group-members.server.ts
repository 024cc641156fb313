/**
 * Who is in a diary group: the members in rotation order, who may join, and adding, replacing
 * and removing a member. Someone who leaves keeps their membership row (left_on set), so the
 * group's history, and who wrote which page, stays.
 */
import { z } from "zod";
import { GROUP_SIZE } from "./constants";
import { writeAudit, type Actor } from "~/utils/audit.server";
import { localDate } from "~/utils/dates";
import { getDb, type DB } from "~/utils/db.server";
import { DomainError, optionalText, requiredId } from "~/utils/forms.server";

export interface MemberInfo {
  memberId: number;
  participantId: number;
  penName: string;
  realName: string;
  position: number;
  joinedOn: string;
  leftOn: string | null;
  leftReason: string | null;
  withdrawnOn: string | null;
}

export async function listMembers(groupId: number, db: DB = getDb()): Promise<MemberInfo[]> {
  const rows = await db
    .selectFrom("group_member as m")
    .innerJoin("participant as p", "p.id", "m.participant_id")
    .select([
      "m.id",
      "m.participant_id",
      "p.pen_name",
      "p.real_name",
      "m.position",
      "m.joined_on",
      "m.left_on",
      "m.left_reason",
      "p.withdrawn_on",
    ])
    .where("m.group_id", "=", groupId)
    .orderBy("m.left_on", "desc")
    .orderBy("m.position")
    .execute();
  return rows.map((r) => ({
    memberId: r.id,
    participantId: r.participant_id,
    penName: r.pen_name,
    realName: r.real_name,
    position: r.position,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    leftReason: r.left_reason,
    withdrawnOn: r.withdrawn_on,
  }));
}

/** Participants of a cohort who can join a group now: not withdrawn, not in another current group. */
export async function listAvailableParticipants(cohortId: number) {
  return getDb()
    .selectFrom("participant as p")
    .select(["p.id", "p.pen_name", "p.real_name"])
    .where("p.cohort_id", "=", cohortId)
    .where("p.withdrawn_on", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("group_member as m")
            .innerJoin("diary_group as g", "g.id", "m.group_id")
            .select("m.id")
            .whereRef("m.participant_id", "=", "p.id")
            .where("m.left_on", "is", null)
            .where("g.status", "!=", "finished"),
        ),
      ),
    )
    .orderBy("p.pen_name")
    .execute();
}

/** Refuses a participant who cannot join a group of this cohort now, naming the field. */
export async function assertCanJoin(
  trx: DB,
  groupCohortId: number,
  participantId: number,
  field: string,
) {
  const p = await trx
    .selectFrom("participant")
    .select(["cohort_id", "withdrawn_on"])
    .where("id", "=", participantId)
    .executeTakeFirst();
  if (!p) throw new DomainError("error.notFound", field);
  if (p.cohort_id !== groupCohortId) throw new DomainError("error.memberOtherCohort", field);
  if (p.withdrawn_on) throw new DomainError("error.memberWithdrawn", field);
  const other = await trx
    .selectFrom("group_member as m")
    .innerJoin("diary_group as g", "g.id", "m.group_id")
    .select("g.name")
    .where("m.participant_id", "=", participantId)
    .where("m.left_on", "is", null)
    .where("g.status", "!=", "finished")
    .executeTakeFirst();
  if (other) throw new DomainError("error.memberInOtherGroup", field, { group: other.name });
}

export async function currentMembers(trx: DB, groupId: number) {
  return trx
    .selectFrom("group_member")
    .select(["id", "participant_id", "position"])
    .where("group_id", "=", groupId)
    .where("left_on", "is", null)
    .orderBy("position")
    .execute();
}

export const AddMemberSchema = z.object({ participantId: requiredId() });

export async function addMember(
  groupId: number,
  participantId: number,
  by: { actor: Actor; ip?: string },
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const group = await trx
        .selectFrom("diary_group")
        .select(["cohort_id", "status"])
        .where("id", "=", groupId)
        .executeTakeFirst();
      if (!group) throw new DomainError("error.notFound");
      const members = await currentMembers(trx, groupId);
      if (members.length >= GROUP_SIZE) throw new DomainError("error.groupFull", "participantId");
      await assertCanJoin(trx, group.cohort_id, participantId, "participantId");
      const taken = new Set(members.map((m) => m.position));
      const position = [1, 2, 3].find((p) => !taken.has(p))!;
      const { id } = await trx
        .insertInto("group_member")
        .values({
          group_id: groupId,
          participant_id: participantId,
          position,
          joined_on: localDate(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await writeAudit(trx, {
        ...by,
        action: "group.member_add",
        entityType: "diary_group",
        entityId: groupId,
        detail: { memberId: id, participantId, position },
      });
    });
}

export const ReplaceMemberSchema = z.object({
  memberId: requiredId(),
  participantId: requiredId(),
  reason: optionalText(200),
});

/** The newcomer takes the leaver's rotation position; the leaver's row is kept with left_on. */
export async function replaceMember(
  groupId: number,
  input: z.output<typeof ReplaceMemberSchema>,
  by: { actor: Actor; ip?: string },
) {
  await getDb()
    .transaction()
    .execute(async (trx) => {
      const group = await trx
        .selectFrom("diary_group")
        .select(["cohort_id"])
        .where("id", "=", groupId)
        .executeTakeFirst();
      if (!group) throw new DomainError("error.notFound");
      const leaving = (await currentMembers(trx, groupId)).find((m) => m.id === input.memberId);
      if (!leaving) throw new DomainError("error.notFound", "memberId");
      await assertCanJoin(trx, group.cohort_id, input.participantId, "participantId");
      const today = localDate();
      await trx
        .updateTable("group_member")
        .set({ left_on: today, left_reason: input.reason ?? "" })
        .where("id", "=", leaving.id)
        .execute();
      await trx
        .insertInto("group_member")
        .values({
          group_id: groupId,
          participant_id: input.participantId,
          position: leaving.position,
          joined_on: today,
        })
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "group.member_replace",
        entityType: "diary_group",
        entityId: groupId,
        detail: {
          left: leaving.participant_id,
          joined: input.participantId,
          position: leaving.position,
        },
      });
    });
}

/** Only while forming: an active group keeps three members and replaces instead. */
export async function removeMember(
  groupId: number,
  memberId: number,
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
      if (group.status === "active") throw new DomainError("error.removeFromActive");
      const member = (await currentMembers(trx, groupId)).find((m) => m.id === memberId);
      if (!member) throw new DomainError("error.notFound");
      await trx
        .updateTable("group_member")
        .set({ left_on: localDate(), left_reason: "" })
        .where("id", "=", memberId)
        .execute();
      await writeAudit(trx, {
        ...by,
        action: "group.member_remove",
        entityType: "diary_group",
        entityId: groupId,
        detail: { participantId: member.participant_id },
      });
    });
}

export async function listMembershipsOfParticipant(participantId: number) {
  return getDb()
    .selectFrom("group_member as m")
    .innerJoin("diary_group as g", "g.id", "m.group_id")
    .select([
      "m.id",
      "g.id as groupId",
      "g.name as groupName",
      "g.status",
      "m.position",
      "m.joined_on",
      "m.left_on",
    ])
    .where("m.participant_id", "=", participantId)
    .orderBy("m.id", "desc")
    .execute();
}
