/**
 * Community resources on the real database: every changed field is kept with who and when,
 * search is kana- and width-blind, filters and counts agree, verification is recorded, bad input
 * changes nothing, and a resource cannot be made public over a seed whose writer did not consent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approvePage, saveTranscription } from "~/models/page-lifecycle.server";
import {
  countResourcesByStatus,
  createResource,
  getResource,
  listProvenance,
  listResourceChanges,
  listResources,
  listResourcesFull,
  parseResourceFilters,
  ResourceInputSchema,
  updateResource,
  verifyResource,
} from "~/models/resources.server";
import { acceptSeed, createSeed } from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { resourceFormValues } from "~/routes/resources.$resourceId/form-values";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { localDate } from "~/utils/dates";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let staff: Staff;
const by = () => ({ actor: staff.actor });

/** The edit form as the browser sends it. */
function form(fields: Record<string, string>) {
  const parsed = ResourceInputSchema.safeParse({
    category: "place",
    status: "active",
    visibility: "staff",
    ...fields,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

beforeAll(async () => {
  staff = await makeStaff();
});

describe("resources", () => {
  it("keep every changed field with who and when, and only the fields that changed", async () => {
    const id = await createResource(
      form({ name: "カフェひだまり", area: "北部", scheduleRules: "毎週木 10:00-12:00" }),
      by(),
    );
    const created = await getResource(id);
    expect(created).toMatchObject({
      name: "カフェひだまり",
      area: "北部",
      schedule: [{ freq: "weekly", weekdays: ["TH"], opens: "10:00", closes: "12:00" }],
    });
    const changed = await updateResource(
      id,
      form({
        name: "カフェひだまり",
        area: "南部",
        phone: "０７４２-１２-３４５６",
        lat: "34.68",
        lng: "135.80",
        scheduleRules: "毎週木 10:00-12:00",
      }),
      by(),
    );
    expect(changed.sort()).toEqual(["area", "lat", "lng", "phone"]);
    const history = await listResourceChanges(id);
    const areaChange = history.find((c) => c.field === "area")!;
    expect(areaChange).toMatchObject({ oldValue: "北部", newValue: "南部", source: "edit" });
    expect(areaChange.by).toBeTruthy();
    expect(history.find((c) => c.field === "phone")!.newValue).toBe("0742-12-3456");
    // Saving the same values again records nothing.
    const again = await updateResource(
      id,
      form(resourceFormValues((await getResource(id))!, "ja")),
      by(),
    );
    expect(again).toEqual([]);
    expect((await listResourceChanges(id)).length).toBe(history.length);
  });

  it("refuse bad input with a message key and change nothing", async () => {
    for (const [fields, message] of [
      [{ name: "" }, "error.required"],
      [{ name: "x", lat: "91", lng: "135" }, "error.coordinate"],
      [{ name: "x", lat: "34.6" }, "error.coordinatePair"],
      [{ name: "x", email: "not-mail" }, "resources.badEmail"],
      [{ name: "x", url: ["javascript", "alert(1)"].join(":") }, "resources.badUrl"],
      [{ name: "x", scheduleRules: "毎週ふにゃ" }, "resources.badSchedule"],
    ] as const) {
      const parsed = ResourceInputSchema.safeParse({
        category: "place",
        status: "active",
        visibility: "staff",
        ...fields,
      });
      expect(parsed.success, JSON.stringify(fields)).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message)).toContain(message);
    }
  });

  it("are found however the name is spelt, and filters and counts agree", async () => {
    const ids = [
      await createResource(
        form({ name: "ヒバリ体操クラブ", area: "東部", tags: "体操、高齢者" }),
        by(),
      ),
      await createResource(
        form({ name: "ｶﾌｪ・こもれび", area: "東部", status: "to_verify" }),
        by(),
      ),
      await createResource(
        form({ name: "朝市", area: "西部", description: "日曜の朝にひらく市場", status: "closed" }),
        by(),
      ),
    ];
    const search = async (q: string, extra = "") =>
      (
        await listResources(parseResourceFilters(new URLSearchParams(`q=${q}${extra}`)).filters)
      ).rows.map((r) => r.id);
    expect(await search("ひばり")).toEqual([ids[0]]);
    expect(await search("カフェ")).toContain(ids[1]);
    expect(await search("ｶﾌｪ")).toContain(ids[1]);
    expect(await search("市場")).toEqual([ids[2]]);
    expect(await search("100%_")).toEqual([]);
    const east = parseResourceFilters(new URLSearchParams("area=東部")).filters;
    const counts = await countResourcesByStatus(east);
    expect(counts).toMatchObject({ active: 1, to_verify: 1, closed: 0 });
    const tagged = parseResourceFilters(new URLSearchParams("tag=体操")).filters;
    expect((await listResources(tagged)).rows.map((r) => r.id)).toEqual([ids[0]]);
    // Never verified counts as "not verified for N months"; verified today does not.
    await verifyResource(ids[0]!, { how: "phone", on: undefined }, by());
    const stale = parseResourceFilters(new URLSearchParams("area=東部&stale=6")).filters;
    expect((await listResources(stale)).rows.map((r) => r.id)).toEqual([ids[1]]);
    const verified = await getResource(ids[0]!);
    expect(verified).toMatchObject({ verifiedOn: localDate(), verifiedHow: "phone" });
    await expect(verifyResource(ids[0]!, { how: "walk", on: "2999-01-01" }, by())).rejects.toThrow(
      DomainError,
    );
    expect((await getResource(ids[0]!))!.verifiedHow).toBe("phone");
  });

  it("cannot be made public over a seed whose writer did not consent; provenance lists the seed", async () => {
    const group = await makeActiveGroup();
    const [pageId] = (await pagesWithDrafts(group.groupId, staff.actor, [
      fixture("ocr", "horizontal.jpg"),
    ])) as [number];
    await updatePageDetails(
      pageId,
      { authorId: group.members[0]!, entryDate: null, pageNumber: 1, layout: "horizontal" },
      by(),
    );
    const text = "駅前の将棋クラブに行った。";
    await saveTranscription(pageId, await getEditBase(pageId), { text }, by());
    await approvePage(pageId, await getEditBase(pageId), null, by());
    const { version } = await getEditBase(pageId);
    const seedId = await createSeed(
      {
        pageId,
        version,
        start: 3,
        end: 8,
        quote: "将棋クラブ",
        title: "将棋クラブ",
        category: "activity",
        tags: [],
        area: null,
        note: null,
      },
      by(),
    );
    const id = await acceptSeed(seedId, { visibility: "staff" }, by());
    const resource = (await getResource(id))!;
    await expect(
      updateResource(
        id,
        form({ ...resourceFormValues(resource, "ja"), visibility: "public" }),
        by(),
      ),
    ).rejects.toThrow(DomainError);
    expect((await getResource(id))!.visibility).toBe("staff");
    expect(await listResourcesFull({}, { publicOnly: true })).not.toContainEqual(
      expect.objectContaining({ id }),
    );
    const provenance = await listProvenance(id);
    expect(provenance).toEqual([
      expect.objectContaining({ seedId, quote: "将棋クラブ", pageId, pageNumber: 1 }),
    ]);
    // The search key was made when the seed became a resource.
    const row = await getDb()
      .selectFrom("resource")
      .select("search_key")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.search_key).toContain("将棋");
  });
});
