/**
 * Town walks (まち歩き) on the real database: which places a walk suggests, the nearest-neighbour
 * order from the health room, results turned into verification (how = walk), corrections,
 * closures and 要確認 — each in the resource's history with source "walk" — and bad input that
 * changes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/i18n/i18n";
import { createHealthRoom } from "~/models/health-rooms.server";
import { approvePage, saveTranscription } from "~/models/page-lifecycle.server";
import {
  createResource,
  getResource,
  listResourceChanges,
  ResourceInputSchema,
  verifyResource,
} from "~/models/resources.server";
import { acceptSeed, createSeed, mergeSeed } from "~/models/seeds.server";
import {
  candidatesForWalk,
  getWalk,
  planWalk,
  recordWalkResults,
  type WalkResultInput,
} from "~/models/town-walks.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { searchKey } from "~/utils/kana-fold";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeStaff, system } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let staff: Staff;
const by = () => ({ actor: staff.actor });

const AREA = "西部";
const ROOM = { lat: 34.6291, lng: 136.1089 };
let roomId: number;
const id = {} as Record<
  "near" | "far" | "east" | "stale" | "nowhere" | "closed" | "paused" | "otherArea" | "fromSeed",
  number
>;
let seedInArea: number;
let seedOfOtherArea: number;
const sevenMonthsAgo = (() => {
  const d = new Date(`${localDate()}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 7);
  return d.toISOString().slice(0, 10);
})();

function resource(fields: Record<string, string>) {
  const parsed = ResourceInputSchema.safeParse({
    category: "place",
    status: "active",
    visibility: "staff",
    area: AREA,
    ...fields,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return createResource(parsed.data, by());
}

const at = (dLat: number, dLng: number) => ({
  lat: String(ROOM.lat + dLat),
  lng: String(ROOM.lng + dLng),
});

/** What a refused call must leave as it was. */
async function snapshot() {
  const db = getDb();
  return {
    resources: await db.selectFrom("resource").selectAll().orderBy("id").execute(),
    stops: await db.selectFrom("town_walk_stop").selectAll().orderBy("id").execute(),
    walks: await db.selectFrom("town_walk").selectAll().orderBy("id").execute(),
    changes: await countRows("resource_change"),
    audit: await countRows("audit_log"),
  };
}

async function refused(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const message = translate("ja", (error as DomainError).key);
  // A Japanese sentence from the catalogue, not the key itself.
  expect(message).toMatch(/[ぁ-んァ-ン一-龥]/);
  return error as DomainError;
}

beforeAll(async () => {
  staff = await makeStaff();
  roomId = await createHealthRoom(
    { name: "西部まちの保健室", area: AREA, address: "架空市西町1-1", hours: "", ...ROOM },
    system,
  );
  // About 111 m per 0.001° of latitude and 92 m per 0.001° of longitude here.
  id.near = await resource({ name: "北の集会所", address: "西町2-1", ...at(0.001, 0) });
  id.far = await resource({
    name: "川べりの体操",
    status: "to_verify",
    phone: "0742-00-0000",
    ...at(0.009, 0),
  });
  id.east = await resource({ name: "東の食堂", ...at(0, 0.0055) });
  await verifyResource(id.east, { how: "phone", on: undefined }, by());
  id.stale = await resource({ name: "坂の上サロン", ...at(0.004, -0.001) });
  await verifyResource(id.stale, { how: "phone", on: sevenMonthsAgo }, by());
  id.nowhere = await resource({ name: "うわさの朝市" });
  id.closed = await resource({ name: "閉じた店", status: "closed", ...at(0.002, 0) });
  id.paused = await resource({ name: "休んでいる会", status: "inactive", ...at(0.003, 0) });
  id.otherArea = await resource({ name: "東部の図書室", area: "東部" });

  // Two seeds of the area from a real approved page: one accepted as a new resource (no
  // location), one merged into a resource of another area that has no location either.
  const group = await makeActiveGroup();
  const [pageId] = (await pagesWithDrafts(group.groupId, staff.actor, [
    fixture("ocr", "horizontal.jpg"),
  ])) as [number];
  await updatePageDetails(
    pageId,
    { authorId: group.members[0]!, entryDate: null, pageNumber: 1, layout: "horizontal" },
    by(),
  );
  const text = "神社の裏に将棋クラブがある。図書室で読み聞かせ。";
  await saveTranscription(pageId, await getEditBase(pageId), { text }, by());
  await approvePage(pageId, await getEditBase(pageId), null, by());
  const { version } = await getEditBase(pageId);
  const seed = (quote: string) => {
    const start = text.indexOf(quote);
    return createSeed(
      {
        pageId,
        version,
        start,
        end: start + quote.length,
        quote,
        title: quote,
        category: "activity",
        tags: [],
        area: AREA,
        note: null,
      },
      by(),
    );
  };
  seedInArea = await seed("将棋クラブ");
  id.fromSeed = await acceptSeed(seedInArea, { visibility: "staff" }, by());
  seedOfOtherArea = await seed("読み聞かせ");
  await mergeSeed(seedOfOtherArea, id.otherArea, by());
}, 180_000);

describe("town walks", () => {
  it("suggest the area's unverified resources and seeds without a place, ticked by the rule", async () => {
    const candidates = await candidatesForWalk(AREA);
    const byKey = Object.fromEntries(candidates.map((c) => [c.key, c]));
    // Closed resources and other areas are not offered.
    expect(byKey[`r:${id.closed}`]).toBeUndefined();
    expect(byKey[`r:${id.otherArea}`]).toBeUndefined();
    const ticked = candidates.filter((c) => c.selected).map((c) => c.key);
    expect(ticked.sort()).toEqual(
      [
        `r:${id.near}`, // never verified
        `r:${id.far}`, // 要確認
        `r:${id.stale}`, // verified seven months ago
        `r:${id.nowhere}`,
        `r:${id.fromSeed}`, // the accepted seed's new resource, never verified
        `s:${seedOfOtherArea}`, // its resource (another area) has no location
      ].sort(),
    );
    expect(byKey[`r:${id.east}`]).toMatchObject({ selected: false, reason: null });
    expect(byKey[`r:${id.paused}`]).toMatchObject({ selected: false });
    expect(byKey[`r:${id.stale}`]).toMatchObject({ reason: "stale" });
    // The accepted seed is offered but not ticked: its resource's stop checks it already.
    expect(byKey[`s:${seedInArea}`]).toMatchObject({ selected: false, reason: "no_location" });
    expect(byKey[`s:${seedOfOtherArea}`]).toMatchObject({ resourceName: "東部の図書室" });
  });

  it("plan orders the stops by nearest neighbour from the health room, unlocated last by name", async () => {
    const walkId = await planWalk(
      {
        area: AREA,
        healthRoomId: roomId,
        plannedOn: localDate(),
        stops: [
          { seedId: seedOfOtherArea },
          { resourceId: id.nowhere },
          { resourceId: id.east },
          { resourceId: id.far },
          { resourceId: id.near },
          { resourceId: id.stale },
        ],
      },
      by(),
    );
    const walk = (await getWalk(walkId))!;
    expect(walk).toMatchObject({ area: AREA, status: "planned", room: { id: roomId } });
    // Room → 北の集会所 (111 m) → 坂の上サロン (346 m) → 川べりの体操 (563 m) → 東の食堂, then the
    // two without coordinates in name order.
    expect(walk.stops.map((s) => [s.position, s.name])).toEqual([
      [1, "北の集会所"],
      [2, "坂の上サロン"],
      [3, "川べりの体操"],
      [4, "東の食堂"],
      [5, "うわさの朝市"],
      [6, "読み聞かせ"],
    ]);
    expect(walk.stops[5]).toMatchObject({ kind: "seed", resourceName: "東部の図書室" });
    expect(walk.stops[4]!.checks).toEqual(
      expect.arrayContaining(["open", "address", "location", "scheduleAsk"]),
    );
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "town_walk")
      .where("entity_id", "=", String(walkId))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["town_walk.create"]);
  });

  it("results update verification, fields and status, with history rows of source walk", async () => {
    const walkId = await planWalk(
      {
        area: AREA,
        healthRoomId: roomId,
        plannedOn: localDate(),
        stops: [
          { resourceId: id.near },
          { resourceId: id.far },
          { resourceId: id.east },
          { resourceId: id.stale },
          { seedId: seedInArea },
        ],
      },
      by(),
    );
    const stops = (await getWalk(walkId))!.stops;
    const stop = (rid: number) => stops.find((s) => s.resourceId === rid)!.id;
    const seedStop = stops.find((s) => s.seedId === seedInArea)!.id;
    const before = {
      stale: (await getResource(id.stale))!,
      east: (await getResource(id.east))!,
    };

    // A first submit records two stops; the walk stays planned.
    const first = await recordWalkResults(
      walkId,
      [
        { stopId: stop(id.near), result: "verified", note: "" },
        {
          stopId: stop(id.far),
          result: "changed",
          note: "曜日が変わった",
          changes: {
            name: "川べりの体操クラブ",
            address: "",
            scheduleText: "毎週火曜 9時から",
            phone: "０７４２-１１-２２３３",
          },
        },
      ],
      by(),
    );
    expect(first).toEqual({ recorded: 2, done: false });
    expect((await getWalk(walkId))!.status).toBe("planned");

    const today = localDate();
    expect(await getResource(id.near)).toMatchObject({
      status: "active",
      verifiedOn: today,
      verifiedHow: "walk",
    });
    const far = (await getResource(id.far))!;
    expect(far).toMatchObject({
      name: "川べりの体操クラブ",
      scheduleText: "毎週火曜 9時から",
      phone: "0742-11-2233",
      // Found in the field: no longer 要確認.
      status: "active",
      verifiedOn: today,
      verifiedHow: "walk",
    });
    const farRow = await getDb()
      .selectFrom("resource")
      .select(["search_key", "verified_by_staff_id"])
      .where("id", "=", id.far)
      .executeTakeFirstOrThrow();
    expect(farRow.search_key).toContain(searchKey("体操クラブ"));
    expect(farRow.verified_by_staff_id).toBe(staff.id);
    const farHistory = (await listResourceChanges(id.far)).filter((c) => c.source === "walk");
    expect(farHistory.map((c) => c.field).sort()).toEqual(
      ["name", "phone", "schedule_text", "status", "verified_on"].sort(),
    );
    expect(farHistory.find((c) => c.field === "name")).toMatchObject({
      oldValue: "川べりの体操",
      newValue: "川べりの体操クラブ",
      by: staff.displayName,
    });
    expect(farHistory.find((c) => c.field === "verified_on")!.newValue).toBe(`${today} (walk)`);

    // The second submit records the rest, and the walk is done.
    const second = await recordWalkResults(
      walkId,
      [
        { stopId: stop(id.east), result: "closed", note: "シャッターに閉店のお知らせ" },
        { stopId: stop(id.stale), result: "not_found", note: "建物が取り壊されていた" },
        { stopId: seedStop, result: "verified", note: "神社の裏で毎週" },
      ],
      by(),
    );
    expect(second).toEqual({ recorded: 3, done: true });
    expect(await getResource(id.east)).toMatchObject({
      status: "closed",
      verifiedOn: today,
      verifiedHow: "walk",
    });
    expect(before.east.verifiedHow).toBe("phone");
    // Not found: back to 要確認, and not counted as verified.
    expect(await getResource(id.stale)).toMatchObject({
      status: "to_verify",
      verifiedOn: before.stale.verifiedOn,
      verifiedHow: "phone",
    });
    expect(
      (await listResourceChanges(id.stale)).filter((c) => c.source === "walk").map((c) => c.field),
    ).toEqual(["status"]);
    expect(
      (await listResourceChanges(id.east))
        .filter((c) => c.source === "walk")
        .map((c) => c.field)
        .sort(),
    ).toEqual(["status", "verified_on"]);
    // The seed's resource is not touched by the seed's stop.
    expect((await getResource(id.fromSeed))!.verifiedOn).toBeNull();

    const walk = (await getWalk(walkId))!;
    expect(walk.status).toBe("done");
    expect(walk.stops.map((s) => [s.name, s.result, s.note])).toEqual([
      ["北の集会所", "verified", ""],
      ["坂の上サロン", "not_found", "建物が取り壊されていた"],
      ["川べりの体操クラブ", "changed", "曜日が変わった"],
      ["東の食堂", "closed", "シャッターに閉店のお知らせ"],
      ["将棋クラブ", "verified", "神社の裏で毎週"],
    ]);
    expect(walk.stops.every((s) => s.recordedBy === staff.displayName && s.recordedAt)).toBe(true);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select(["action", "detail"])
      .where("entity_type", "=", "town_walk")
      .where("entity_id", "=", String(walkId))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "town_walk.create",
      "town_walk.record",
      "town_walk.record",
    ]);
    expect(JSON.parse(audit[2]!.detail)).toMatchObject({ done: true });
  });

  it("refuses bad input with a Japanese message and changes nothing", async () => {
    const walkId = await planWalk(
      {
        area: AREA,
        healthRoomId: roomId,
        plannedOn: localDate(),
        stops: [
          { resourceId: id.paused },
          { resourceId: id.nowhere },
          { resourceId: id.otherArea },
        ],
      },
      by(),
    );
    const stops = (await getWalk(walkId))!.stops;
    const stop = (rid: number) => stops.find((s) => s.resourceId === rid)!.id;
    const [paused, nowhere, other] = [stop(id.paused), stop(id.nowhere), stop(id.otherArea)];
    await recordWalkResults(walkId, [{ stopId: nowhere, result: "verified" }], by());
    const before = await snapshot();

    const attempts: Array<[WalkResultInput[], string]> = [
      [[], "form"],
      [[{ stopId: 999_999, result: "verified" }], "form"],
      [[{ stopId: paused, result: "gone" }], `result-${paused}`],
      [[{ stopId: nowhere, result: "verified" }], `result-${nowhere}`], // already recorded
      [
        [
          { stopId: paused, result: "verified" },
          { stopId: paused, result: "closed" },
        ],
        "form",
      ],
      [[{ stopId: paused, result: "verified", note: "あ".repeat(501) }], `note-${paused}`],
      // All or nothing: a valid row followed by a bad one writes neither.
      [
        [
          { stopId: other, result: "verified" },
          {
            stopId: paused,
            result: "changed",
            changes: { name: "休んでいる会", phone: "でんわ" },
          },
        ],
        `phone-${paused}`,
      ],
      [[{ stopId: paused, result: "changed", changes: { name: "  " } }], `name-${paused}`],
      [
        [{ stopId: paused, result: "changed", changes: { name: "休んでいる会", address: "" } }],
        `result-${paused}`,
      ],
    ];
    for (const [results, field] of attempts) {
      const error = await refused(recordWalkResults(walkId, results, by()));
      expect(error.field).toBe(field);
    }
    await refused(recordWalkResults(999_999, [{ stopId: paused, result: "verified" }], by()));

    const plan = { area: AREA, healthRoomId: roomId, plannedOn: localDate() };
    await refused(planWalk({ ...plan, stops: [] }, by()));
    await refused(planWalk({ ...plan, stops: [{ resourceId: 999_999 }] }, by()));
    await refused(
      planWalk({ ...plan, stops: [{ resourceId: id.near }, { resourceId: id.near }] }, by()),
    );
    await refused(
      planWalk({ ...plan, healthRoomId: 999_999, stops: [{ resourceId: id.near }] }, by()),
    );
    await refused(planWalk({ ...plan, plannedOn: "来週", stops: [{ resourceId: id.near }] }, by()));

    expect(await snapshot()).toEqual(before);
  });
});
