/**
 * The seed-review queue (/seeds) over HTTP on the real server: participants of any group are
 * refused every view and every intent without a trace of a seed; bad input gets a Japanese error
 * and changes nothing; the queue never shows a writer's real name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePage, saveTranscription } from "~/models/page-lifecycle.server";
import { getParticipant } from "~/models/participants.server";
import { createSeed } from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { getDb } from "~/utils/db.server";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let staff: Client;
let participant: Client;
let otherParticipant: Client;
let pageId: number;
let version: number;
let seedIds: number[];
let realName: string;

const TEXT = ["𠮷田さんと駅前のカフェ「ひだまり」へ。", "毎週木曜に将棋の会があるらしい。"].join(
  "\n",
);

function cp(quote: string) {
  const start = Array.from(TEXT.slice(0, TEXT.indexOf(quote))).length;
  return { start, end: start + Array.from(quote).length, quote };
}

/** Everything a refused request must leave as it was. */
async function snapshot() {
  return {
    seeds: await getDb().selectFrom("seed").selectAll().orderBy("id").execute(),
    resources: await countRows("resource"),
    decisions: await getDb().selectFrom("seed_decision").selectAll().orderBy("id").execute(),
  };
}

beforeAll(async () => {
  const s = await makeStaff();
  const by = { actor: s.actor };
  const group = await makeActiveGroup();
  [pageId] = (await pagesWithDrafts(group.groupId, s.actor, [
    fixture("ocr", "horizontal.jpg"),
  ])) as [number];
  // The writer has not consented to anonymised seeds (the factories' default).
  const author = group.members[0]!;
  realName = (await getParticipant(author))!.real_name;
  await updatePageDetails(
    pageId,
    { authorId: author, entryDate: null, pageNumber: 1, layout: "horizontal" },
    by,
  );
  const saved = await saveTranscription(pageId, await getEditBase(pageId), { text: TEXT }, by);
  expect(saved.status).not.toBe("conflict");
  expect((await approvePage(pageId, await getEditBase(pageId), null, by)).status).toBe("approved");
  version = (await getEditBase(pageId)).version;
  seedIds = [];
  for (const [quote, title] of [
    ["カフェ「ひだまり」", "カフェひだまり"],
    ["毎週木曜に将棋の会", "木曜の将棋の会"],
  ] as const) {
    seedIds.push(
      await createSeed(
        {
          pageId,
          version,
          ...cp(quote),
          title,
          category: "activity",
          tags: ["将棋"],
          area: null,
          note: "メモ：本人に確認済み",
        },
        by,
      ),
    );
  }

  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  staff = new Client(server.url);
  await staff.loginStaff(s.login, s.password);
  // A participant of the page's own group, and one of another group.
  participant = new Client(server.url);
  await participant.loginParticipant(group.codes[0]!);
  otherParticipant = new Client(server.url);
  await otherParticipant.loginParticipant((await makeActiveGroup()).codes[0]!);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("participants", () => {
  const views = () => [
    "/seeds",
    "/seeds?status=accepted",
    `/seeds?seed=${seedIds[0]}&panel=merge&q=ひだまり`,
    "/seeds?_data=routes%2Fseeds._index",
    "/seeds.data",
    `/review/pages/${pageId}`,
    `/review/pages/${pageId}.data`,
  ];
  const intents = (): Array<Record<string, string>> => [
    {
      intent: "seed",
      pageId: String(pageId),
      version: String(version),
      ...Object.fromEntries(Object.entries(cp("将棋の会")).map(([k, v]) => [k, String(v)])),
      title: "将棋",
      category: "activity",
    },
    { intent: "accept", seedId: String(seedIds[0]), visibility: "staff" },
    { intent: "merge", seedId: String(seedIds[0]), resourceId: "1" },
    { intent: "reject", seedId: String(seedIds[0]), reason: "exists" },
    { intent: "undo" },
  ];

  it("get 404 from every seed view and intent, as if there were none (decision 016), and see nothing of a seed", async () => {
    const before = await snapshot();
    const suggestion = await getDb()
      .selectFrom("seed_suggestion")
      .select("id")
      .where("page_id", "=", pageId)
      .executeTakeFirst();
    for (const client of [participant, otherParticipant]) {
      for (const path of views()) {
        const response = await client.get(path);
        expect(response.status, path).toBe(404);
        const body = await response.text();
        for (const secret of ["ひだまり", "将棋", "本人に確認済み", realName])
          expect(body.includes(secret), `${path} shows ${secret}`).toBe(false);
      }
      for (const fields of intents()) {
        // Tagging goes to the page's editor; deciding to the queue.
        const path = fields.intent === "seed" ? `/review/pages/${pageId}` : "/seeds";
        const response = await client.post(path, fields);
        expect(response.status, fields.intent).toBe(404);
        expect(await response.text()).not.toContain("ひだまり");
      }
      const dismiss = await client.post(`/review/pages/${pageId}`, {
        intent: "dismissSuggestion",
        pageId: String(pageId),
        suggestionId: String(suggestion?.id ?? 1),
      });
      expect(dismiss.status).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("and visitors who are not logged in are sent to the staff login", async () => {
    const anonymous = new Client(server.url);
    const response = await anonymous.get("/seeds");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fseeds");
    const post = await anonymous.post("/seeds", { intent: "undo" });
    expect(post.status).toBe(302);
  });
});

describe("staff", () => {
  it("see the queue with the quote in its sentence, the page and its group — never the writer's real name", async () => {
    const response = await staff.get("/seeds");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("カフェひだまり");
    expect(html).toContain("<mark>カフェ「ひだまり」</mark>");
    expect(html).toContain(`href="/review/pages/${pageId}"`);
    expect(html).not.toContain(realName);
    // The writer has not consented: the accept form says why it cannot be public.
    const panel = await (await staff.get(`/seeds?seed=${seedIds[0]}&panel=accept`)).text();
    expect(panel).toContain("匿名）に同意していないため");
  });

  it("get a Japanese error for bad input, and nothing changes", async () => {
    const before = await snapshot();
    const seedId = String(seedIds[0]);
    const refused: Array<[Record<string, string>, string]> = [
      [{ intent: "reject", seedId }, "見送る理由を選んでください。"],
      [
        { intent: "reject", seedId, reason: "other", note: " " },
        "「その他」のときは理由を書いてください。",
      ],
      [{ intent: "reject", seedId, reason: "spam" }, "見送る理由を選んでください。"],
      [{ intent: "merge", seedId }, "統合する資源を選んでください。"],
      [{ intent: "merge", seedId, resourceId: "999999" }, "その地域資源は見つかりません。"],
      [{ intent: "accept", seedId, visibility: "public" }, "匿名）に同意していないため"],
      [{ intent: "accept", seedId, visibility: "everyone" }, "入力内容が正しくありません。"],
      [{ intent: "accept", seedId: "999999", visibility: "staff" }, "対象が見つかりません。"],
      [
        {
          intent: "seed",
          pageId: String(pageId),
          version: String(version),
          // UTF-16 offsets of the quote: one too far on after 𠮷.
          start: String(TEXT.indexOf("将棋の会")),
          end: String(TEXT.indexOf("将棋の会") + 4),
          quote: "将棋の会",
          title: "将棋",
          category: "activity",
        },
        "選んだ言葉が本文と一致しません。",
      ],
      [
        {
          intent: "seed",
          pageId: String(pageId),
          version: String(version),
          ...Object.fromEntries(Object.entries(cp("将棋の会")).map(([k, v]) => [k, String(v)])),
          title: "",
          category: "activity",
        },
        "入力内容を確認してください。",
      ],
    ];
    for (const [fields, message] of refused) {
      const path = fields.intent === "seed" ? `/review/pages/${pageId}` : "/seeds";
      const response = await staff.post(path, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      expect(await response.text(), JSON.stringify(fields)).toContain(message);
    }
    const unknown = await staff.post("/seeds", { intent: "delete", seedId });
    expect(unknown.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("decide a seed and undo it over plain form posts", async () => {
    const accepted = await staff.post("/seeds?order=oldest", {
      intent: "accept",
      seedId: String(seedIds[1]),
      name: "ひだまり将棋クラブ",
      visibility: "staff",
    });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get("location")).toBe("/seeds?order=oldest&done=accept");
    const seed = await getDb()
      .selectFrom("seed")
      .selectAll()
      .where("id", "=", seedIds[1]!)
      .executeTakeFirstOrThrow();
    expect(seed.status).toBe("accepted");
    const list = await (await staff.get("/seeds?status=accepted")).text();
    expect(list).toContain("資源：ひだまり将棋クラブ");
    // The merge search finds it kana- and width-folded.
    const search = await (
      await staff.get(`/seeds?seed=${seedIds[0]}&panel=merge&q=${encodeURIComponent("ﾋﾀﾞﾏﾘ")}`)
    ).text();
    expect(search).toContain("「ひだまり将棋クラブ」に統合");

    const undone = await staff.post("/seeds", { intent: "undo" });
    expect(undone.headers.get("location")).toBe("/seeds?done=undo");
    const after = await getDb()
      .selectFrom("seed")
      .select(["status", "resource_id"])
      .where("id", "=", seedIds[1]!)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: "proposed", resource_id: null });
    expect(await countRows("resource")).toBe(0);
    const nothing = await staff.post("/seeds", { intent: "undo" });
    expect(nothing.headers.get("location")).toBe("/seeds?done=nothing");
  });
});
