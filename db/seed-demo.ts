/**
 * Demo data for trying the app (`npm start`): fictional people only. Loaded only into an empty
 * database and never in production. Also runnable as `npm run db:seed-demo`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Kysely } from "kysely";
import sharp from "sharp";
import { createCohort } from "~/models/cohorts.server";
import { recordHandoff } from "~/models/custody.server";
import { createGroup, setGroupStatus } from "~/models/groups.server";
import { createHealthRoom } from "~/models/health-rooms.server";
import { approvePage, saveTranscription } from "~/models/page-lifecycle.server";
import { addPage } from "~/models/pages.server";
import { createParticipant, type ParticipantInput } from "~/models/participants.server";
import { ensureSuggestions } from "~/models/seed-suggestions.server";
import { createResource, ResourceInputSchema } from "~/models/resources.server";
import { acceptSeed, createSeed, mergeSeed, rejectSeed } from "~/models/seeds.server";
import { createStaffUser } from "~/models/staff.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import type { Actor } from "~/utils/audit.server";
import { addDays, localDate } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { hashSecret } from "~/utils/password.server";
import type { Database } from "./schema";

export const DEMO_LOGINS = {
  admin: { login: "admin", password: "demo-admin-pass" },
  staff: { login: "hoken", password: "demo-staff-pass" },
  participantCode: "HANA-2345-6789",
};

export function describeDemoLogins(): string[] {
  return [
    "",
    "デモ用ログイン (demo logins):",
    `  管理者 admin:   ログインID ${DEMO_LOGINS.admin.login} / パスワード ${DEMO_LOGINS.admin.password}`,
    `  スタッフ staff: ログインID ${DEMO_LOGINS.staff.login} / パスワード ${DEMO_LOGINS.staff.password}`,
    `  参加者 participant: /code でアクセスコード ${DEMO_LOGINS.participantCode}`,
    "  (demo data is fictional; never run --demo in production)",
  ];
}

export async function seedDemoIfEmpty(db: Kysely<Database>): Promise<string[]> {
  const existing = await db.selectFrom("staff_user").select("id").limit(1).execute();
  if (existing.length === 0) {
    await seedDemo();
    console.log("Demo data loaded.");
  }
  return describeDemoLogins();
}

const system: { actor: Actor } = { actor: { type: "system" } };

function daysAgo(days: number, hour = 15): string {
  const date = addDays(localDate(), -days);
  return new Date(`${date}T${String(hour).padStart(2, "0")}:00:00+09:00`).toISOString();
}

async function seedDemo() {
  await createStaffUser(
    { ...DEMO_LOGINS.admin, displayName: "山田 管理者", role: "admin" },
    system,
  );
  const staffId = await createStaffUser(
    { ...DEMO_LOGINS.staff, displayName: "佐藤 保健師", role: "staff" },
    system,
  );
  const staff = { actor: { type: "staff" as const, staffId } };

  const sakura = await createHealthRoom(
    {
      name: "さくら町まちの保健室",
      area: "さくら地区",
      address: "架空市さくら町1-2-3 さくら公民館1階",
      hours: "月・水・金 10:00〜16:00",
      lat: 34.6291,
      lng: 136.1089,
    },
    system,
  );
  const minato = await createHealthRoom(
    {
      name: "みなと町まちの保健室",
      area: "みなと地区",
      address: "架空市みなと町4-5-6 みなと商店街内",
      hours: "火・木・土 13:00〜18:00",
      lat: 34.6352,
      lng: 136.1205,
    },
    system,
  );
  const start = `${localDate().slice(0, 4)}-04-01`;
  const fiscalStart = start <= localDate() ? start : addDays(start, -365);
  const cohortId = await createCohort(
    {
      name: `${fiscalStart.slice(0, 4)}年度`,
      startsOn: fiscalStart,
      endsOn: addDays(addDays(fiscalStart, 365), -1),
    },
    system,
  );

  const consent = addDays(localDate(), -60);
  const base: Omit<ParticipantInput, "realName" | "penName" | "ageBand"> = {
    cohortId,
    contact: null,
    referralType: "staff",
    referredByParticipantId: null,
    referralNote: "",
    consentReadingOn: consent,
    consentDigitisingOn: consent,
    consentSeedsOn: consent,
    withdrawnOn: null,
  };
  const people: [string, string, ParticipantInput["ageBand"]][] = [
    ["架空 花子", "はな", "40s"],
    ["架空 一郎", "ゲン", "70plus"],
    ["架空 春香", "ハル", "teens"],
    ["仮名 翔太", "そら", "20s"],
    ["仮名 美咲", "みー", "30s"],
    ["仮名 健二", "けんじ", "60s"],
    ["試験 陽菜", "ひな", "teens"],
    ["試験 大輔", "だい", "50s"],
    ["試験 結衣", "ゆい", "20s"],
    ["見本 拓海", "うみ", "20s"],
    ["見本 優子", "ゆうこ", "40s"],
    ["見本 誠", "まこと", "30s"],
  ];
  const ids: number[] = [];
  for (const [i, [realName, penName, ageBand]] of people.entries()) {
    // One referral chain: はな invited そら, who invited ひな.
    const referrer = i === 3 ? ids[0] : i === 6 ? ids[3] : undefined;
    ids.push(
      await createParticipant(
        {
          ...base,
          realName,
          penName,
          ageBand,
          contact: i % 3 === 0 ? `090-0000-00${String(i).padStart(2, "0")}` : null,
          referralType: referrer ? "participant" : i % 4 === 2 ? "school" : "staff",
          referredByParticipantId: referrer ?? null,
        },
        system,
      ),
    );
  }
  // The demo participant code is fixed so that it can be printed at every start.
  await getDb()
    .updateTable("participant")
    .set({
      access_code_selector: DEMO_LOGINS.participantCode.slice(0, 4),
      access_code_hash: await hashSecret(DEMO_LOGINS.participantCode.slice(5).replace("-", "")),
      access_code_issued_at: new Date().toISOString(),
    })
    .where("id", "=", ids[0]!)
    .execute();

  const groupSpecs = [
    { name: "ひまわり", room: sakura, label: "ひまわりノート", members: [0, 1, 2] },
    { name: "こもれび", room: sakura, label: "こもれびノート", members: [3, 4, 5] },
    { name: "つばめ", room: minato, label: "つばめノート", members: [6, 7, 8] },
    { name: "あおぞら", room: minato, label: "あおぞらノート", members: [9, 10, 11] },
  ];
  const groupIds: number[] = [];
  for (const g of groupSpecs) {
    const [m1, m2, m3] = g.members.map((i) => ids[i] ?? null);
    groupIds.push(
      await createGroup(
        {
          cohortId,
          name: g.name,
          healthRoomId: g.room,
          handoffIntervalDays: 7,
          notebookLabel: g.label,
          member1: m1 ?? null,
          member2: m2 ?? null,
          member3: m3 ?? null,
        },
        system,
      ),
    );
  }
  for (const groupId of groupIds.slice(0, 3)) await setGroupStatus(groupId, "active", system);

  const hand = (groupId: number, to: number | "room", days: number, room: number, hour = 15) =>
    recordHandoff(
      groupId,
      { to: String(to), healthRoomId: room, handedAt: daysAgo(days, hour), dueOn: null, note: "" },
      staff,
    );
  // ひまわり: はな → room → ゲン → room → ハル, who is now two days overdue.
  const [g1, g2, g3] = groupIds as [number, number, number];
  await hand(g1, ids[0]!, 30, sakura);
  await hand(g1, "room", 23, sakura);
  await hand(g1, ids[1]!, 23, sakura, 16);
  await hand(g1, "room", 16, sakura);
  await hand(g1, ids[2]!, 9, sakura);
  // こもれび: passed at the room directly; みー has it and is due this week.
  await hand(g2, ids[3]!, 10, sakura);
  await hand(g2, ids[4]!, 3, sakura);
  // つばめ: ひな brought it back yesterday; it waits at the room for だい.
  await hand(g3, ids[6]!, 8, minato);
  await hand(g3, "room", 1, minato);

  // Pages from the notebooks that came back, so the review queue has work in it. The photos are
  // the synthetic test pages (made-up text); OCR reads them once the app has started.
  const photos = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures");
  for (const [groupId, file] of [
    [g3, "ocr/horizontal.jpg"],
    [g3, "watch/concern.jpg"],
    [g2, "ocr/vertical.jpg"],
  ] as const) {
    // A slightly different copy: the original files are uploaded again in the browser tests.
    const bytes = await sharp(fs.readFileSync(path.join(photos, file)))
      .modulate({ brightness: 1.02 })
      .jpeg({ quality: 90 })
      .toBuffer();
    await addPage(groupId, bytes, { actor: { type: "staff", staffId } });
  }

  // Two more pages of ひまわり, which the demo finisher approves with seeds in every state.
  if (demoSeedsWanted()) {
    for (const [i, page] of DEMO_SEED_PAGES.entries()) {
      const bytes = await sharp(fs.readFileSync(path.join(photos, "ocr", page.file)))
        .modulate({ brightness: 0.97 - i * 0.01 })
        .jpeg({ quality: 90 })
        .toBuffer();
      await addPage(g1, bytes, { actor: { type: "staff", staffId } });
    }
  }
}

/** Approved demo pages with seeds are made unless `DEMO_SEEDS=off` (browser tests count pages). */
function demoSeedsWanted() {
  return process.env.DEMO_SEEDS !== "off";
}

/**
 * The pages the finisher approves, in upload order, with what a reviewer would have typed (the
 * test photos' ground truth) and the seeds a staff member would have tagged and decided.
 */
const DEMO_SEED_PAGES = [
  {
    file: "vertical.jpg",
    layout: "vertical" as const,
    seeds: [
      {
        quote: "公民館の子ども食堂",
        title: "公民館の子ども食堂",
        category: "place",
        tags: ["子ども", "食事"],
        decide: "accept",
      },
      {
        quote: "調理のボランティア",
        title: "子ども食堂の調理ボランティア",
        category: "activity",
        tags: ["ボランティア", "料理"],
        decide: "merge",
      },
      { quote: "毎週水曜", title: "水曜の集まり", category: "event", tags: [], decide: "reject" },
    ],
  },
  {
    file: "horizontal.jpg",
    layout: "horizontal" as const,
    seeds: [
      {
        quote: "介護している人同士で話せたら",
        title: "介護する人どうしの語らいの場",
        category: "need",
        tags: ["介護", "居場所"],
        decide: null,
      },
      {
        quote: "ヘルパーさん",
        title: "訪問ヘルパー",
        category: "person_skill",
        tags: ["介護"],
        decide: null,
      },
    ],
  },
] as const;

/**
 * Finishes the demo once OCR has read the ひまわり pages: saves the reviewed text, approves them,
 * tags seeds and decides some (a resource made from one, another merged into it, one rejected,
 * two left proposed), then lets the app make its suggestions — so /seeds and the tagger are not
 * empty for a newcomer. Does nothing when the demo already has seeds or `DEMO_SEEDS=off`.
 */
export async function finishDemoSeeds(log: (message: string) => void): Promise<void> {
  if (!demoSeedsWanted()) return;
  const db = getDb();
  if (await db.selectFrom("seed").select("id").limit(1).executeTakeFirst()) return;
  const staff = await db
    .selectFrom("staff_user")
    .select("id")
    .where("login", "=", DEMO_LOGINS.staff.login)
    .executeTakeFirst();
  const group = await db
    .selectFrom("diary_group")
    .select("id")
    .where("name", "=", "ひまわり")
    .executeTakeFirst();
  if (!staff || !group) return;
  const by = { actor: { type: "staff" as const, staffId: staff.id } };
  const members = await db
    .selectFrom("group_member")
    .select("participant_id")
    .where("group_id", "=", group.id)
    .orderBy("id")
    .execute();

  // OCR reads the pages in the background (this process or `npm run worker`).
  const deadline = Date.now() + 20 * 60_000;
  let pages: Array<{ id: number; status: string }> = [];
  for (;;) {
    pages = await db
      .selectFrom("page")
      .select(["id", "status"])
      .where("group_id", "=", group.id)
      .orderBy("id")
      .execute();
    if (
      pages.length >= DEMO_SEED_PAGES.length &&
      pages.every((p) => p.status !== "queued" && p.status !== "ocr")
    )
      break;
    if (Date.now() > deadline) return log("demo seeds: OCR did not finish in time; left out");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (pages.some((p) => p.status !== "needs_review")) return;

  const truth = JSON.parse(
    fs.readFileSync(
      path.join(
        path.dirname(fileURLToPath(import.meta.url)),
        "..",
        "test",
        "fixtures",
        "ocr",
        "truth.json",
      ),
      "utf8",
    ),
  ) as Record<string, { text: string }>;
  let resourceId: number | null = null;
  for (const [i, spec] of DEMO_SEED_PAGES.entries()) {
    const pageId = pages[i]!.id;
    await updatePageDetails(
      pageId,
      {
        authorId: members[i]?.participant_id ?? null,
        entryDate: addDays(localDate(), -20 + i * 7),
        pageNumber: i + 1,
        layout: spec.layout,
      },
      by,
    );
    const text = truth[spec.file]!.text;
    const saved = await saveTranscription(pageId, await getEditBase(pageId), { text }, by);
    if (saved.status === "conflict") return log("demo seeds: the page changed meanwhile; left out");
    const approved = await approvePage(pageId, await getEditBase(pageId), null, by);
    if (approved.status !== "approved") return;
    const { version } = await getEditBase(pageId);
    for (const seed of spec.seeds) {
      const at = Array.from(text.slice(0, text.indexOf(seed.quote))).length;
      const seedId = await createSeed(
        {
          pageId,
          version,
          start: at,
          end: at + Array.from(seed.quote).length,
          quote: seed.quote,
          title: seed.title,
          category: seed.category,
          tags: [...seed.tags],
          area: null,
          note: null,
        },
        by,
      );
      if (seed.decide === "accept")
        resourceId = await acceptSeed(seedId, { visibility: "public" }, by);
      else if (seed.decide === "merge" && resourceId) await mergeSeed(seedId, resourceId, by);
      else if (seed.decide === "reject") await rejectSeed(seedId, "exists", "", by);
    }
    await ensureSuggestions(pageId);
  }
  await addDemoResources(pages[0]!.id, by);
  log("demo seeds: two pages of ひまわり approved, with seeds, suggestions and resources");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { migrateToLatest } = await import("./migrator");
  const { closeDb } = await import("~/utils/db.server");
  const db = getDb();
  await migrateToLatest(db);
  for (const line of await seedDemoIfEmpty(db)) console.log(line);
  await closeDb();
}

/**
 * A dozen resources in the two areas (most public with a location, one staff-only, one to verify),
 * each with a seed from the first demo page behind it, so the list, map, public page and exports
 * are not empty. All names and places are made up.
 */
const DEMO_RESOURCES = [
  [
    "さくら公民館 子ども食堂",
    "place",
    "さくら地区",
    "架空市さくら町1-2-3",
    34.6295,
    136.1092,
    "毎週水 17:00-19:00",
    "子ども食堂",
  ],
  [
    "さくら朝市",
    "event",
    "さくら地区",
    "架空市さくら町2-1 さくら公園",
    34.6281,
    136.1071,
    "第2日 7:00-10:00",
    "公民館",
  ],
  [
    "ひだまり体操クラブ",
    "activity",
    "さくら地区",
    "架空市さくら町3-4 集会所",
    34.6302,
    136.1113,
    "毎週月・木 10:00-11:00",
    "毎週水曜",
  ],
  [
    "さくら図書コーナー",
    "place",
    "さくら地区",
    "架空市さくら町1-9",
    34.6277,
    136.1101,
    "毎週土 10:00-15:00",
    "子ども",
  ],
  [
    "手芸サロン つむぎ",
    "activity",
    "さくら地区",
    "架空市さくら町5-2",
    34.6314,
    136.1066,
    "第1・第3火 13:30-15:30",
    "大人",
  ],
  [
    "さくら川の桜並木",
    "nature",
    "さくら地区",
    "架空市さくら町 さくら川沿い",
    34.6266,
    136.112,
    "",
    "今週",
  ],
  [
    "みなと商店街の茶話会",
    "activity",
    "みなと地区",
    "架空市みなと町4-1 商店街会館",
    34.6348,
    136.1197,
    "最終土 14:00-16:00",
    "調理",
  ],
  [
    "カフェ こもれび",
    "shop",
    "みなと地区",
    "架空市みなと町4-8",
    34.6357,
    136.1211,
    "毎週火・木・土 11:00-17:00",
    "カレー",
  ],
  [
    "みなと囲碁・将棋の会",
    "activity",
    "みなと地区",
    "架空市みなと町6-3 公民館分館",
    34.6339,
    136.1228,
    "毎週金 13:00-16:00",
    "興味",
  ],
  ["港の見える公園", "nature", "みなと地区", "架空市みなと町8-1", 34.6371, 136.124, "", "声"],
  ["修理ボランティア（自転車）", "person_skill", "みなと地区", "", null, null, "", "ボランティア"],
  [
    "みなと子育てひろば",
    "place",
    "みなと地区",
    "架空市みなと町2-7",
    34.633,
    136.1189,
    "毎週水 10:00-12:00",
    "無料",
  ],
] as const;

async function addDemoResources(pageId: number, by: { actor: { type: "staff"; staffId: number } }) {
  const { version, text } = await getApprovedDemoText(pageId);
  for (const [
    i,
    [name, category, area, address, lat, lng, rules, word],
  ] of DEMO_RESOURCES.entries()) {
    const input = ResourceInputSchema.parse({
      name,
      category,
      area,
      address,
      lat: lat === null ? "" : String(lat),
      lng: lng === null ? "" : String(lng),
      scheduleRules: rules,
      description: `${name}（デモ用の架空の資源です）`,
      phone: lat === null ? "" : `000-0000-${String(100 + i).padStart(4, "0")}`,
      // One staff-only, one still to verify; the rest public and active.
      status: i === 8 ? "to_verify" : "active",
      visibility: i === 10 ? "staff" : "public",
    });
    const resourceId = await createResource(input, by);
    const at = Array.from(text.slice(0, Math.max(0, text.indexOf(word)))).length;
    if (text.indexOf(word) < 0) continue;
    const seedId = await createSeed(
      {
        pageId,
        version,
        start: at,
        end: at + Array.from(word).length,
        quote: word,
        title: name,
        category,
        tags: [],
        area,
        note: null,
      },
      by,
    );
    await mergeSeed(seedId, resourceId, by);
  }
}

async function getApprovedDemoText(pageId: number) {
  const base = await getEditBase(pageId);
  const row = await getDb()
    .selectFrom("transcription")
    .select("text")
    .where("page_id", "=", pageId)
    .where("version", "=", base.version)
    .executeTakeFirstOrThrow();
  return { version: base.version, text: row.text };
}
