/**
 * The read paths `npm run bench:web` made cheaper (decision 023): a group's diary walks
 * page_group_diary_idx in its own order instead of sorting every approved page, still with the
 * same rule and order; the group list names the members of the listed groups only.
 */
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { listGroups, setGroupStatus } from "~/models/groups.server";
import { groupDiaryQuery, listApprovedPagesForGroup } from "~/models/review.server";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff, system } from "../helpers/factories";
import { ON_POSTGRES } from "../helpers/paths";

let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let other: Awaited<ReturnType<typeof makeActiveGroup>>;
/** The visible pages, newest first by (entry date or upload day, page number). */
let expected: number[];

beforeAll(async () => {
  const staff = await makeStaff();
  group = await makeActiveGroup();
  other = await makeActiveGroup({ cohortId: group.cohortId, roomId: group.roomId });
  await setGroupStatus(other.groupId, "finished", system);
  const db = getDb();
  const { id: notebookId } = await db
    .selectFrom("notebook")
    .select("id")
    .where("group_id", "=", group.groupId)
    .executeTakeFirstOrThrow();
  const visible: Array<{ id: number; day: string; n: number }> = [];
  for (let n = 1; n <= 40; n++) {
    // Dated and undated pages mixed; some with the same day; one hidden, one flagged, some
    // not approved: the order and the rule must survive the index.
    const uploadedOn = `2026-11-${String(1 + (n % 20)).padStart(2, "0")}`;
    const entryDate = n % 3 === 0 ? null : `2026-10-${String(1 + ((n * 7) % 28)).padStart(2, "0")}`;
    const status = n % 10 === 4 ? "needs_review" : "approved";
    const hidden = n === 17 ? 1 : 0;
    const { id } = await db
      .insertInto("page")
      .values({
        group_id: group.groupId,
        notebook_id: notebookId,
        page_number: n,
        author_participant_id: group.members[n % 3]!,
        entry_date: entryDate,
        uploaded_on: uploadedOn,
        status,
        hidden,
        image_sha256: crypto.randomBytes(32).toString("hex"),
        original_path: "originals/x.jpg",
        viewing_path: "derived/x.jpg",
        thumb_path: "derived/x-t.jpg",
        width: 100,
        height: 100,
        uploaded_by_staff_id: staff.id,
        approved_version: status === "approved" ? 1 : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("transcription")
      .values({ page_id: id, version: 1, source: "staff", text: `ページ${n}` })
      .execute();
    if (n === 23)
      await db
        .insertInto("watch_flag")
        .values({ page_id: id, source: "manual", reason: "テスト", raised_by_staff_id: staff.id })
        .execute();
    else if (status === "approved" && !hidden)
      visible.push({ id, day: entryDate ?? uploadedOn, n });
  }
  expected = visible.sort((a, b) => b.day.localeCompare(a.day) || b.n - a.n).map((p) => p.id);
});

describe("a group's diary", () => {
  it("lists the visible pages newest first, page by page", async () => {
    const first = await listApprovedPagesForGroup(group.groupId, { limit: 10, offset: 0 });
    const rest = await listApprovedPagesForGroup(group.groupId, { limit: 100, offset: 10 });
    expect([...first, ...rest].map((p) => p.id)).toEqual(expected);
    expect(first[0]!.text).toMatch(/^ページ\d+$/);
  });

  // SQLite's query plan; PostgreSQL plans by its own statistics.
  it.skipIf(ON_POSTGRES)(
    "is read through page_group_diary_idx in its order, without sorting",
    async () => {
      const db = getDb();
      const query = groupDiaryQuery(group.groupId, { limit: 21, offset: 0 }).compile();
      const { rows } = await db.executeQuery<{ detail: string }>({
        ...query,
        sql: `explain query plan ${query.sql}`,
      });
      const plan = rows.map((r) => r.detail);
      expect(plan).toContain("SEARCH p USING INDEX page_group_diary_idx (group_id=? AND status=?)");
      expect(plan.filter((d) => d.includes("TEMP B-TREE"))).toEqual([]);
    },
  );
});

describe("the group list", () => {
  it("names the current members of each listed group, also when filtered", async () => {
    const penNames = async (ids: number[]) =>
      (
        await getDb()
          .selectFrom("participant")
          .select(["id", "pen_name"])
          .where("id", "in", ids)
          .execute()
      )
        .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
        .map((p) => p.pen_name);
    const all = await listGroups({ cohortId: group.cohortId });
    expect(all.find((g) => g.id === group.groupId)?.memberPenNames).toEqual(
      await penNames(group.members),
    );
    expect(all.find((g) => g.id === other.groupId)?.memberPenNames).toEqual(
      await penNames(other.members),
    );
    const finished = await listGroups({ cohortId: group.cohortId, status: "finished" });
    expect(finished.map((g) => [g.id, g.memberPenNames])).toEqual([
      [other.groupId, await penNames(other.members)],
    ]);
  });
});
