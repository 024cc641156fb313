/**
 * One rule for "the local date": a calendar date derived from an instant is its date in Japan
 * (Asia/Tokyo). A page uploaded at 00:30 JST — 15:30 UTC the day before — belongs to the JST day
 * in the group's diary, not to the UTC one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { listApprovedPagesForGroup } from "~/models/review.server";
import { approvePage } from "~/models/page-lifecycle.server";
import { getEditBase } from "~/models/transcriptions.server";
import { localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let lateEvening: number;
let justAfterMidnight: number;

beforeAll(async () => {
  const staff = await makeStaff();
  group = await makeActiveGroup();
  // Page 1 at 00:30 JST on 21 November, page 2 at 23:00 JST on 20 November (both undated).
  [justAfterMidnight, lateEvening] = (await pagesWithDrafts(
    group.groupId,
    staff.actor,
    [fixture("ocr", "horizontal.jpg"), fixture("ocr", "vertical.jpg")],
    { uploadedAt: [new Date("2026-11-20T15:30:00Z"), new Date("2026-11-20T14:00:00Z")] },
  )) as [number, number];
  for (const id of [justAfterMidnight, lateEvening])
    await approvePage(id, await getEditBase(id), null, { actor: staff.actor });
}, 180_000);

describe("the local date", () => {
  it("is the calendar date in Japan", () => {
    expect(localDate(new Date("2026-11-20T15:30:00Z"))).toBe("2026-11-21");
    expect(localDate(new Date("2026-11-20T14:59:59Z"))).toBe("2026-11-20");
    expect(localDate("2026-12-31T15:00:00.000Z")).toBe("2027-01-01");
  });

  it("places a page uploaded at 00:30 JST on that JST day in the group's diary", async () => {
    const rows = await getDb()
      .selectFrom("page")
      .select(["id", "uploaded_on", "page_number", "entry_date"])
      .where("id", "in", [justAfterMidnight, lateEvening])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(justAfterMidnight)).toMatchObject({
      uploaded_on: "2026-11-21",
      entry_date: null,
    });
    expect(byId.get(lateEvening)).toMatchObject({ uploaded_on: "2026-11-20", entry_date: null });
    // Newest first: the 00:30 page (21 Nov) comes before the 23:00 page (20 Nov), although its
    // page number is lower and its UTC date is the same day as the other's.
    const diary = await listApprovedPagesForGroup(group.groupId);
    expect(diary.map((p) => p.id)).toEqual([justAfterMidnight, lateEvening]);
  });

  it("lets an entry date written on the page win over the upload day", async () => {
    await getDb()
      .updateTable("page")
      .set({ entry_date: "2026-11-25" })
      .where("id", "=", lateEvening)
      .execute();
    const diary = await listApprovedPagesForGroup(group.groupId);
    expect(diary.map((p) => p.id)).toEqual([lateEvening, justAfterMidnight]);
  });
});
