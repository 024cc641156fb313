/**
 * The public resource list over HTTP on the real server, without any session: the page, its A4
 * print view and the three public exports show public and active resources only, and never a
 * word of what lies behind them — a participant's real name or pen name planted in a seed's quote
 * and note, the quote itself, the note, a group's name, or any staff-only, unverified or closed
 * resource. The search folds kana and width as the staff list does (ｶﾌｪ finds カフェ).
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePage, saveTranscription } from "~/models/page-lifecycle.server";
import { getParticipant, updateParticipant } from "~/models/participants.server";
import {
  createResource,
  getResource,
  ResourceInputSchema,
  updateResource,
  type ResourceInput,
} from "~/models/resources.server";
import { acceptSeed, createSeed } from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { getDb } from "~/utils/db.server";
import { scheduleRulesToText } from "~/utils/schedule";
import { makeActiveGroup, makeStaff, participantInput, system } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let visitor: Client;
/** Words that must never leave the server for the public. */
const secrets: Record<string, string> = {};
/** Names of the resources the public may see; the located ones are on the map exports too. */
const PUBLIC_LOCATED = ["カフェひだまり", "北部公民館の体操"];
const PUBLIC_UNLOCATED = ["図書コーナー"];
const HIDDEN = ["将棋の会（職員のみ）", "確認中の子ども食堂", "閉じた朝市", "職員だけの相談窓口"];

const PATHS = [
  "/public/resources",
  "/public/resources?area=北部",
  "/public/resources/print",
  "/public/resources/export.csv",
  "/public/resources/export.geojson",
  "/public/resources/export.hsds.json",
];

function input(fields: Partial<Record<string, string>>): ResourceInput {
  return ResourceInputSchema.parse({
    category: "place",
    status: "active",
    visibility: "public",
    ...fields,
  });
}

/** The resource as its edit form would send it, with some fields changed. */
async function edit(id: number, fields: Partial<Record<string, string>>) {
  const r = (await getResource(id))!;
  return input({
    name: r.name,
    aliases: r.aliases.join("、"),
    description: r.description,
    category: r.category,
    tags: r.tags.join("、"),
    area: r.area,
    organization: r.organization,
    address: r.address,
    lat: r.lat === null ? "" : String(r.lat),
    lng: r.lng === null ? "" : String(r.lng),
    scheduleText: r.scheduleText,
    scheduleRules: scheduleRulesToText(r.schedule),
    phone: r.phone,
    email: r.email,
    url: r.url,
    eligibility: r.eligibility,
    fees: r.fees,
    status: r.status,
    visibility: r.visibility,
    ...fields,
  });
}

beforeAll(async () => {
  const staff = await makeStaff();
  const by = { actor: staff.actor };
  const group = await makeActiveGroup();
  const authorId = group.members[0]!;
  const author = (await getParticipant(authorId))!;
  // The writer consented to anonymised seeds, so a resource resting on their words may be public.
  await updateParticipant(
    authorId,
    participantInput(group.cohortId, {
      realName: author.real_name,
      penName: author.pen_name,
      consentSeedsOn: "2026-04-01",
    }),
    system,
  );
  const groupRow = await getDb()
    .selectFrom("diary_group")
    .select("name")
    .where("id", "=", group.groupId)
    .executeTakeFirstOrThrow();

  const quote1 = `${author.pen_name}さんと駅前のカフェ「ひだまり」へ行った。${author.real_name}さんの紹介`;
  const quote2 = "毎週木曜に将棋の会があるらしい";
  const text = `${quote1}。\n${quote2}。`;
  const [pageId] = (await pagesWithDrafts(group.groupId, staff.actor, [
    fixture("ocr", "horizontal.jpg"),
  ])) as [number];
  await updatePageDetails(
    pageId,
    { authorId, entryDate: null, pageNumber: 1, layout: "horizontal" },
    by,
  );
  expect(
    (await saveTranscription(pageId, await getEditBase(pageId), { text }, by)).status,
  ).not.toBe("conflict");
  expect((await approvePage(pageId, await getEditBase(pageId), null, by)).status).toBe("approved");
  const version = (await getEditBase(pageId)).version;
  const span = (quote: string) => {
    const start = Array.from(text.slice(0, text.indexOf(quote))).length;
    return { start, end: start + Array.from(quote).length, quote };
  };
  const note1 = `メモ：${author.real_name}（${author.pen_name}）から聞いた。本人に確認済み`;
  const note2 = `職員メモ：${author.real_name}さんの家の近く`;
  const seed1 = await createSeed(
    {
      pageId,
      version,
      ...span(quote1),
      title: "タネ：駅前のカフェ",
      category: "place",
      tags: ["カフェ"],
      area: "北部",
      note: note1,
    },
    by,
  );
  const seed2 = await createSeed(
    {
      pageId,
      version,
      ...span(quote2),
      title: "タネ：木曜の将棋",
      category: "activity",
      tags: ["将棋"],
      area: "北部",
      note: note2,
    },
    by,
  );
  Object.assign(secrets, {
    realName: author.real_name,
    penName: author.pen_name,
    quote1,
    quote2,
    note1,
    note2,
    groupName: groupRow.name,
    seedTitle1: "タネ：駅前のカフェ",
    seedTitle2: "タネ：木曜の将棋",
    staffName: staff.displayName,
    ...Object.fromEntries(HIDDEN.map((name, i) => [`hidden${i}`, name])),
  });

  // From seeds: one public (then made active and located), one staff-only (active).
  const cafe = await acceptSeed(seed1, { name: "カフェひだまり", visibility: "public" }, by);
  await updateResource(
    cafe,
    await edit(cafe, {
      status: "active",
      description: "駅前の小さなカフェ。誰でも立ち寄れます。",
      address: "架空市北町1-2-3",
      lat: "34.62",
      lng: "136.10",
      scheduleText: "祝日はお休み",
      scheduleRules: "毎週木 10:00-12:00",
      phone: "0595-00-0000",
      fees: "お茶代100円",
    }),
    by,
  );
  const shogi = await acceptSeed(seed2, { name: "将棋の会（職員のみ）", visibility: "staff" }, by);
  await updateResource(shogi, await edit(shogi, { status: "active" }), by);

  // By hand: public and active (with and without a location), and three the public must not see.
  await createResource(
    input({ name: "北部公民館の体操", area: "北部", lat: "34.63", lng: "136.11" }),
    by,
  );
  await createResource(input({ name: "図書コーナー", area: "南部", address: "架空市南町5" }), by);
  await createResource(input({ name: "確認中の子ども食堂", status: "to_verify" }), by);
  await createResource(
    input({ name: "閉じた朝市", status: "closed", lat: "34.6", lng: "136.1" }),
    by,
  );
  await createResource(
    input({ name: "職員だけの相談窓口", visibility: "staff", tags: "カフェ" }),
    by,
  );

  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  visitor = new Client(server.url);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("a visitor without a session", () => {
  it("sees the public and active resources on the page, the print view and every export", async () => {
    const page = await (await visitor.get("/public/resources")).text();
    for (const name of [...PUBLIC_LOCATED, ...PUBLIC_UNLOCATED]) expect(page).toContain(name);
    expect(page).toContain("毎週木曜 10:00〜12:00");
    expect(page).toContain("祝日はお休み");
    expect(page).toContain(
      `https://www.google.com/maps/search/?api=1&amp;query=${encodeURIComponent("架空市北町1-2-3")}`,
    );
    // No staff navigation for a visitor.
    expect(page).not.toContain("site-nav");
    expect(page).not.toContain('href="/seeds"');

    const print = await (await visitor.get("/public/resources/print")).text();
    for (const name of [...PUBLIC_LOCATED, ...PUBLIC_UNLOCATED]) expect(print).toContain(name);
    expect(print).toMatch(/<svg[^>]*viewBox/);
    expect(print).toContain(`${server.url}/public/resources`);

    const csv = await visitor.get("/public/resources/export.csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="public-/);
    const rows = parse(await csv.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["名前"]).sort()).toEqual(
      [...PUBLIC_LOCATED, ...PUBLIC_UNLOCATED].sort(),
    );

    const geo = await visitor.get("/public/resources/export.geojson");
    expect(geo.headers.get("content-type")).toContain("application/geo+json");
    expect(geo.headers.get("content-disposition")).toContain("attachment;");
    const collection = (await geo.json()) as { features: { properties: { name: string } }[] };
    expect(collection.features.map((f) => f.properties.name).sort()).toEqual(
      [...PUBLIC_LOCATED].sort(),
    );

    const hsds = await visitor.get("/public/resources/export.hsds.json");
    expect(hsds.headers.get("content-type")).toContain("application/json");
    expect(hsds.headers.get("content-disposition")).toContain(".json");
    const services = (await hsds.json()) as { name: string }[];
    expect(services.map((s) => s.name).sort()).toEqual(
      [...PUBLIC_LOCATED, ...PUBLIC_UNLOCATED].sort(),
    );
  });

  it("never gets a participant's name, a quote, a note, a group or a hidden resource", async () => {
    expect(Object.keys(secrets).length).toBeGreaterThan(8);
    const paths = [
      ...PATHS,
      ...PATHS.map((p) => `${p}${p.includes("?") ? "&" : "?"}status=closed&visibility=staff`),
      "/public/resources?q=将棋",
      "/public/resources/export.csv?q=相談",
      "/public/resources/print?tag=カフェ",
    ];
    for (const path of paths) {
      const response = await visitor.get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("set-cookie"), path).toBeNull();
      const body = await response.text();
      for (const [what, secret] of Object.entries(secrets))
        expect(body.includes(secret), `${path} shows ${what}: ${secret}`).toBe(false);
    }
  });

  it("gets the list as plain HTML, without any script", async () => {
    const html = await (await visitor.get("/public/resources")).text();
    expect(html).toContain("<main");
    expect(html).not.toMatch(/<script/i);
  });

  it("finds カフェ by ｶﾌｪ (kana and width folded), in the page and the exports", async () => {
    const page = await (
      await visitor.get(`/public/resources?q=${encodeURIComponent("ｶﾌｪ")}`)
    ).text();
    expect(page).toContain("カフェひだまり");
    expect(page).not.toContain("北部公民館の体操");
    expect(page).not.toContain("図書コーナー");
    expect(page).toContain('data-testid="public-total">1');
    const csv = await (
      await visitor.get(`/public/resources/export.csv?q=${encodeURIComponent("ｶﾌｪ")}`)
    ).text();
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["名前"])).toEqual(["カフェひだまり"]);
  });

  it("narrows by area, and offers only the public resources' areas and tags", async () => {
    const page = await (await visitor.get("/public/resources?area=南部")).text();
    expect(page).toContain("図書コーナー");
    expect(page).not.toContain("カフェひだまり");
    // The staff-only resource's tag 将棋 is not among the choices.
    expect(page).not.toContain('value="将棋"');
    expect(page).toContain('value="カフェ"');
  });
});
