import { describe, expect, it } from "vitest";
import { getCustodyState, recordHandoff } from "~/models/custody.server";
import { replaceMember } from "~/models/group-members.server";
import { getGroup } from "~/models/groups.server";
import { addDays, localDate } from "~/utils/dates";
import { DomainError } from "~/utils/forms.server";
import { makeActiveGroup, makeParticipant, makeStaff } from "../helpers/factories";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

async function setup() {
  const staff = await makeStaff();
  const g = await makeActiveGroup();
  const notebookId = (await getGroup(g.groupId))!.notebookId;
  const by = { actor: staff.actor };
  const hand = (to: number | "room", at: string, dueOn: string | null = null) =>
    recordHandoff(
      g.groupId,
      { to: String(to), healthRoomId: g.roomId, handedAt: at, dueOn, note: "" },
      by,
    );
  return { ...g, notebookId, hand };
}

describe("notebook custody", () => {
  it("follows the rotation and computes the due date from the interval", async () => {
    const { groupId, notebookId, members, hand } = await setup();
    let state = await getCustodyState(groupId, notebookId);
    expect(state.holder).toBeNull();
    expect(state.suggestedNext?.participantId).toBe(members[0]);

    const first = await hand(members[0]!, hoursAgo(48));
    expect(first.dueOn).toBe(addDays(localDate(hoursAgo(48)), 7));
    state = await getCustodyState(groupId, notebookId);
    expect(state.holder?.participantId).toBe(members[0]);
    expect(state.dueOn).toBe(first.dueOn);
    expect(state.suggestedNext?.participantId).toBe(members[1]);

    await hand("room", hoursAgo(24));
    state = await getCustodyState(groupId, notebookId);
    expect(state.holder).toBeNull();
    expect(state.dueOn).toBeNull();
    // At the room, the next one is the member after the one who returned it.
    expect(state.suggestedNext?.participantId).toBe(members[1]);

    await hand(members[1]!, hoursAgo(23));
    await hand(members[2]!, hoursAgo(1));
    state = await getCustodyState(groupId, notebookId);
    expect(state.suggestedNext?.participantId).toBe(members[0]);
  });

  it("refuses impossible handoffs and records nothing", async () => {
    const { groupId, notebookId, members, hand } = await setup();
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof DomainError) return e.key;
        throw e;
      }
      return "accepted";
    };
    expect(await refusal(hand("room", hoursAgo(1)))).toBe("error.alreadyAtRoom");
    await hand(members[0]!, hoursAgo(10));
    expect(await refusal(hand(members[0]!, hoursAgo(5)))).toBe("error.alreadyHolds");
    expect(await refusal(hand(members[1]!, hoursAgo(20)))).toBe("error.beforeLastHandoff");
    expect(await refusal(hand(members[1]!, new Date(Date.now() + 86_400_000).toISOString()))).toBe(
      "error.inFuture",
    );
    expect(await refusal(hand(members[1]!, hoursAgo(1), "2000-01-01"))).toBe(
      "error.dueBeforeHandoff",
    );
    const stranger = await makeParticipant((await getGroup(groupId))!.cohort_id);
    expect(await refusal(hand(stranger, hoursAgo(1)))).toBe("error.notAMember");
    const state = await getCustodyState(groupId, notebookId);
    expect(state.holder?.participantId).toBe(members[0]);
  });

  it("keeps the rotation order when a member is replaced", async () => {
    const { groupId, cohortId, notebookId, members, hand } = await setup();
    await hand(members[0]!, hoursAgo(10));
    const second = (await getGroup(groupId))!.members[1]!;
    const newcomer = await makeParticipant(cohortId);
    await replaceMember(
      groupId,
      { memberId: second.memberId, participantId: newcomer, reason: null },
      {
        actor: { type: "system" },
      },
    );
    const state = await getCustodyState(groupId, notebookId);
    expect(state.suggestedNext?.participantId).toBe(newcomer);
  });
});
