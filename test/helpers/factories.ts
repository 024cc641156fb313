/** Builds test data through the app's own model functions, so every rule they enforce applies. */
import { createCohort } from "~/models/cohorts.server";
import { createGroup, setGroupStatus } from "~/models/groups.server";
import { createHealthRoom } from "~/models/health-rooms.server";
import {
  createParticipant,
  issueAccessCode,
  type ParticipantInput,
} from "~/models/participants.server";
import { createStaffUser } from "~/models/staff.server";
import type { Actor } from "~/utils/audit.server";

export const system: { actor: Actor } = { actor: { type: "system" } };
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeStaff(role: "admin" | "staff" = "staff") {
  const login = `${role}-${unique()}`;
  const password = `pw-${unique()}-long`;
  const displayName = `テスト ${role} ${unique()}`;
  const id = await createStaffUser({ login, password, role, displayName }, system);
  return { id, login, password, displayName, actor: { type: "staff" as const, staffId: id } };
}

export async function makeRoom() {
  return createHealthRoom(
    {
      name: `テスト保健室 ${unique()}`,
      area: "テスト地区",
      address: "架空市1-1",
      hours: "",
      lat: null,
      lng: null,
    },
    system,
  );
}

export async function makeCohort() {
  return createCohort(
    { name: `テスト期 ${unique()}`, startsOn: "2026-04-01", endsOn: "2027-03-31" },
    system,
  );
}

export function participantInput(
  cohortId: number,
  overrides: Partial<ParticipantInput> = {},
): ParticipantInput {
  const n = unique();
  return {
    cohortId,
    realName: `架空 ${n}`,
    penName: `ペン${n}`,
    contact: null,
    ageBand: "20s",
    referralType: "staff",
    referredByParticipantId: null,
    referralNote: "",
    consentReadingOn: "2026-04-01",
    consentDigitisingOn: "2026-04-01",
    consentSeedsOn: null,
    withdrawnOn: null,
    ...overrides,
  };
}

export async function makeParticipant(cohortId: number, overrides: Partial<ParticipantInput> = {}) {
  return createParticipant(participantInput(cohortId, overrides), system);
}

/** A cohort, a room and an active group of three, each member with an access code. */
export async function makeActiveGroup(options: { cohortId?: number; roomId?: number } = {}) {
  const cohortId = options.cohortId ?? (await makeCohort());
  const roomId = options.roomId ?? (await makeRoom());
  const members = [
    await makeParticipant(cohortId),
    await makeParticipant(cohortId),
    await makeParticipant(cohortId),
  ];
  const groupId = await createGroup(
    {
      cohortId,
      name: `グループ ${unique()}`,
      healthRoomId: roomId,
      handoffIntervalDays: 7,
      notebookLabel: "ノート",
      member1: members[0]!,
      member2: members[1]!,
      member3: members[2]!,
    },
    system,
  );
  await setGroupStatus(groupId, "active", system);
  const codes = [];
  for (const id of members) codes.push(await issueAccessCode(id, system));
  return { cohortId, roomId, groupId, members, codes };
}
