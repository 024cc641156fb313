import { getDb } from "~/utils/db.server";

/**
 * What a participant may see of their group: pen names only, never real names or contacts.
 * Kept separate from getGroup so that staff-only fields cannot leak into the participant page.
 */
export async function getGroupForParticipantView(groupId: number) {
  const db = getDb();
  const group = await db
    .selectFrom("diary_group as g")
    .innerJoin("health_room as r", "r.id", "g.health_room_id")
    .innerJoin("notebook as n", "n.group_id", "g.id")
    .select([
      "g.id",
      "g.name",
      "g.status",
      "n.id as notebookId",
      "n.label as notebookLabel",
      "r.name as roomName",
      "r.address as roomAddress",
      "r.hours as roomHours",
    ])
    .where("g.id", "=", groupId)
    .executeTakeFirst();
  if (!group) return undefined;
  const members = await db
    .selectFrom("group_member as m")
    .innerJoin("participant as p", "p.id", "m.participant_id")
    .select(["p.id as participantId", "p.pen_name as penName", "m.position"])
    .where("m.group_id", "=", groupId)
    .where("m.left_on", "is", null)
    .orderBy("m.position")
    .execute();
  return { ...group, members };
}
