import { describe, expect, it } from "vitest";
import { addMember, replaceMember } from "~/models/group-members.server";
import { createGroup, getGroup, setGroupStatus } from "~/models/groups.server";
import { DomainError } from "~/utils/forms.server";
import { getDb } from "~/utils/db.server";
import { countRows } from "../helpers/db";
import {
  makeActiveGroup,
  makeCohort,
  makeParticipant,
  makeRoom,
  system,
} from "../helpers/factories";

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.key;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("diary groups", () => {
  it("refuses a fourth member and changes nothing", async () => {
    const { groupId, cohortId } = await makeActiveGroup();
    const fourth = await makeParticipant(cohortId);
    const before = await countRows("group_member");
    expect(await refusal(addMember(groupId, fourth, system))).toBe("error.groupFull");
    expect(await countRows("group_member")).toBe(before);
  });

  it("becomes active only with three members", async () => {
    const cohortId = await makeCohort();
    const roomId = await makeRoom();
    const a = await makeParticipant(cohortId);
    const b = await makeParticipant(cohortId);
    const groupId = await createGroup(
      {
        cohortId,
        name: "二人組",
        healthRoomId: roomId,
        handoffIntervalDays: 7,
        notebookLabel: "n",
        member1: a,
        member2: b,
        member3: null,
      },
      system,
    );
    expect(await refusal(setGroupStatus(groupId, "active", system))).toBe("error.needThree");
    expect((await getGroup(groupId))?.status).toBe("forming");
    await addMember(groupId, await makeParticipant(cohortId), system);
    await setGroupStatus(groupId, "active", system);
    expect((await getGroup(groupId))?.status).toBe("active");
  });

  it("keeps a participant in at most one current group per cohort", async () => {
    const { cohortId, roomId, members } = await makeActiveGroup();
    const others = [await makeParticipant(cohortId), await makeParticipant(cohortId)];
    const groupsBefore = await countRows("diary_group");
    const key = await refusal(
      createGroup(
        {
          cohortId,
          name: "重複",
          healthRoomId: roomId,
          handoffIntervalDays: 7,
          notebookLabel: "n",
          member1: members[0]!,
          member2: others[0]!,
          member3: others[1]!,
        },
        system,
      ),
    );
    expect(key).toBe("error.memberInOtherGroup");
    expect(await countRows("diary_group")).toBe(groupsBefore);
  });

  it("refuses a participant registered in another cohort", async () => {
    const { groupId } = await makeActiveGroup();
    const elsewhere = await makeParticipant(await makeCohort());
    const member = (await getGroup(groupId))!.members[0]!;
    expect(
      await refusal(
        replaceMember(
          groupId,
          { memberId: member.memberId, participantId: elsewhere, reason: null },
          system,
        ),
      ),
    ).toBe("error.memberOtherCohort");
  });

  it("replaces a member who leaves and keeps the history", async () => {
    const { groupId, cohortId, members } = await makeActiveGroup();
    const newcomer = await makeParticipant(cohortId);
    const leaving = (await getGroup(groupId))!.members.find((m) => m.participantId === members[1])!;
    await replaceMember(
      groupId,
      { memberId: leaving.memberId, participantId: newcomer, reason: "転居" },
      system,
    );
    const group = (await getGroup(groupId))!;
    expect(group.status).toBe("active");
    expect(group.members.map((m) => m.participantId)).toEqual([members[0], newcomer, members[2]]);
    expect(group.members[1]!.position).toBe(2);
    expect(group.formerMembers).toHaveLength(1);
    expect(group.formerMembers[0]).toMatchObject({
      participantId: members[1],
      leftReason: "転居",
      position: 2,
    });
  });

  it("writes an audit row for every change to a group", async () => {
    const before = await countRows("audit_log");
    const { groupId } = await makeActiveGroup();
    const rows = await getDb()
      .selectFrom("audit_log")
      .select(["action", "entity_type"])
      .where("entity_type", "=", "diary_group")
      .where("entity_id", "=", String(groupId))
      .execute();
    expect(rows.map((r) => r.action)).toEqual(["group.create", "group.status_change"]);
    expect(await countRows("audit_log")).toBeGreaterThan(before);
  });
});
