/**
 * The review screens over HTTP on the real server: page details, manual flags, reopening, the
 * admin's concern phrases (which then catch a saved version), and refusals that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEditBase, getLatestVersion } from "~/models/transcriptions.server";
import { listFlagsForPage } from "~/models/watch.server";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let staff: Client;
let admin: Client;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let pages: number[];

beforeAll(async () => {
  const s = await makeStaff();
  const a = await makeStaff("admin");
  group = await makeActiveGroup();
  const photo = fixture("ocr", "vertical.jpg");
  pages = await pagesWithDrafts(group.groupId, s.actor, [photo, photo]);
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  staff = new Client(server.url);
  await staff.loginStaff(s.login, s.password);
  admin = new Client(server.url);
  await admin.loginStaff(a.login, a.password);
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

/** The fields that tie an edit to the page and version it was made on, as the editor sends them. */
async function baseFields(pageId: number, version: number): Promise<Array<[string, string]>> {
  const base = await getEditBase(pageId, version);
  return [
    ["pageId", String(pageId)],
    ["baseVersion", String(base.version)],
    ["baseHash", base.hash],
  ];
}

const page = (id: number) =>
  getDb().selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("HTML", () => {
  // React 18's streaming renderer padded chunks with NUL bytes when a Japanese character fell on
  // its 2 KB buffer boundary; pages full of Japanese text must come out intact.
  it("is clean UTF-8 on the text-heavy review pages", async () => {
    for (const path of [
      "/review",
      ...pages.map((id) => `/review/pages/${id}`),
      `/g/${group.groupId}`,
    ]) {
      const response = await staff.get(path);
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html.includes("\u0000") || html.includes("\uFFFD"), path).toBe(false);
      expect(html.startsWith("<!DOCTYPE html>"), path).toBe(true);
    }
    const phrases = await (await admin.get("/admin/concern-phrases")).text();
    expect(phrases.includes("\u0000") || phrases.includes("\uFFFD")).toBe(false);
    expect(phrases).toContain("誰にも言えない");
  });
});

describe("page details", () => {
  it("sets writer, date, page number and layout; refuses a writer from another group", async () => {
    const [first, second] = pages as [number, number];
    const ok = await staff.post(`/review/pages/${second}`, {
      intent: "details",
      pageId: String(second),
      authorId: String(group.members[1]),
      entryDate: "2026-11-20",
      pageNumber: "1",
      layout: "vertical",
    });
    expect(ok.status).toBe(200);
    expect(await page(second)).toMatchObject({
      author_participant_id: group.members[1],
      entry_date: "2026-11-20",
      page_number: 1,
      layout: "vertical",
    });
    // The page that had number 1 took the other number: no two pages share one.
    expect((await page(first)).page_number).toBe(2);

    const other = await makeActiveGroup();
    const refused = await staff.post(`/review/pages/${second}`, {
      intent: "details",
      pageId: String(second),
      authorId: String(other.members[0]),
      entryDate: "2026-13-40",
      pageNumber: "0",
      layout: "vertical",
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("日付");
    expect(html).toContain("ページ番号は1以上の数字で入力してください。");
    expect(await page(second)).toMatchObject({
      author_participant_id: group.members[1],
      page_number: 1,
    });
  });
});

describe("approval and reopening", () => {
  it("makes an approved page read-only until it is reopened, and records both", async () => {
    const id = pages[0]!;
    const v = (await getLatestVersion(id))!.version;
    const approved = await staff.post(`/review/pages/${id}`, [
      ["intent", "approve"],
      ...(await baseFields(id, v)),
      ["mode", "text"],
      ["text", (await getLatestVersion(id))!.text],
    ]);
    expect(approved.status).toBe(302);
    expect(await page(id)).toMatchObject({ status: "approved", approved_version: v });

    const edit = await staff.post(`/review/pages/${id}`, [
      ["intent", "save"],
      ...(await baseFields(id, v)),
      ["line", "承認後の書き換え"],
      ["src", "0"],
    ]);
    expect(edit.status).toBe(400);
    expect(await edit.text()).toContain("承認済みのページです");
    expect((await getLatestVersion(id))!.version).toBe(v);

    expect(
      (await staff.post(`/review/pages/${id}`, { intent: "reopen", pageId: String(id) })).status,
    ).toBe(200);
    expect(await page(id)).toMatchObject({ status: "needs_review", approved_version: null });
    const actions = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("entity_type", "=", "page")
      .where("entity_id", "=", String(id))
      .where("action", "in", ["page.approve", "page.reopen"])
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(["page.approve", "page.reopen"]);
  });
});

describe("見守り by hand and by the admin's list", () => {
  it("raises a flag by hand only with a reason", async () => {
    const id = pages[1]!;
    expect(
      (await staff.post(`/review/pages/${id}`, { intent: "flag", pageId: String(id), note: " " }))
        .status,
    ).toBe(400);
    expect(await listFlagsForPage(id)).toHaveLength(0);
    expect(
      (
        await staff.post(`/review/pages/${id}`, {
          intent: "flag",
          pageId: String(id),
          note: "字が急に乱れている",
        })
      ).status,
    ).toBe(200);
    const [flag] = await listFlagsForPage(id);
    expect(flag).toMatchObject({ source: "manual", status: "open", reason: "字が急に乱れている" });
  });

  it("lets an admin add a phrase (not a duplicate spelling, not a staff member), which is applied to pages waiting for review", async () => {
    expect((await staff.get("/admin/concern-phrases")).status).toBe(403);
    const dup = await admin.post("/admin/concern-phrases", {
      intent: "create",
      phrase: "シニタイ",
      variants: "",
    });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("同じことば（死にたい）がすでにあります。");

    // A waiting page already says it before the phrase is on the list.
    const id = pages[1]!;
    const latest = (await getLatestVersion(id))!;
    const saved = await staff.post(`/review/pages/${id}`, [
      ["intent", "save"],
      ...(await baseFields(id, latest.version)),
      ["mode", "text"],
      ["text", `${latest.text}\nずっと 独り ぼっち だった`],
    ]);
    expect(saved.status).toBe(200);
    expect((await listFlagsForPage(id)).some((f) => f.source === "phrase")).toBe(false);

    const added = await admin.post("/admin/concern-phrases", {
      intent: "create",
      phrase: "ひとりぼっち",
      variants: "独りぼっち\n一人ぼっち",
    });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain("確認待ちのページ1件にこのことばが見つかり");
    const flags = await listFlagsForPage(id);
    expect(flags.find((f) => f.phrase === "ひとりぼっち")).toMatchObject({
      status: "open",
      matchedText: "独り ぼっち",
      version: latest.version + 1,
    });
  });
});

describe("edits bound to their page", () => {
  // Both pages are at the same version number, which the version check alone cannot tell apart.
  async function state() {
    return Promise.all(
      pages.map(async (id) => ({
        page: await page(id),
        latest: await getLatestVersion(id),
        versions: (
          await getDb().selectFrom("transcription").select("id").where("page_id", "=", id).execute()
        ).length,
      })),
    );
  }

  it("refuses a form from another page, a forged base and a missing one, writing nothing", async () => {
    const [a, b] = pages as [number, number];
    // Bring both pages to the same state: editable, and at the same version number.
    for (const id of [a, b]) {
      if ((await page(id)).status === "approved")
        await staff.post(`/review/pages/${id}`, { intent: "reopen", pageId: String(id) });
    }
    let va = (await getLatestVersion(a))!.version;
    let vb = (await getLatestVersion(b))!.version;
    while (va !== vb) {
      const [id, v] = va < vb ? [a, va] : [b, vb];
      const latest = (await getLatestVersion(id))!;
      const response = await staff.post(`/review/pages/${id}`, [
        ["intent", "save"],
        ...(await baseFields(id, v)),
        ["mode", "text"],
        ["text", `${latest.text}\n（${v + 1}）`],
      ]);
      expect(response.status).toBe(200);
      va = (await getLatestVersion(a))!.version;
      vb = (await getLatestVersion(b))!.version;
    }
    const before = await state();
    const textA = `Aページの本文 ${Date.now()}`;

    // Page A's editor form posted to page B's address (a stale screen after "approve and next").
    for (const intent of ["save", "approve"]) {
      const response = await staff.post(`/review/pages/${b}`, [
        ["intent", intent],
        ...(await baseFields(a, va)),
        ["mode", "text"],
        ["text", textA],
      ]);
      expect(response.status, intent).toBe(400);
      expect(await response.text()).toContain("表示しているページの本文をもとにしていません");
    }
    // The page id rewritten to B, but the hash still A's text: refused as well.
    const hashOfA = (await getEditBase(a, va)).hash;
    const forged = await staff.post(`/review/pages/${b}`, [
      ["intent", "approve"],
      ["pageId", String(b)],
      ["baseVersion", String(vb)],
      ["baseHash", hashOfA],
      ["mode", "text"],
      ["text", textA],
    ]);
    expect(forged.status).toBe(400);
    // No base at all, or an old version's hash from another page: refused.
    const bare = await staff.post(`/review/pages/${b}`, [
      ["intent", "save"],
      ["pageId", String(b)],
      ["baseVersion", String(vb)],
      ["mode", "text"],
      ["text", textA],
    ]);
    expect(bare.status).toBe(400);
    const oldForeign = await staff.post(`/review/pages/${b}`, [
      ["intent", "save"],
      ["pageId", String(b)],
      ...(await baseFields(a, 1)).slice(1),
      ["mode", "text"],
      ["text", textA],
    ]);
    expect(oldForeign.status).toBe(400);
    // Details and restore of page A's screen do not land on page B either.
    const details = await staff.post(`/review/pages/${b}`, {
      intent: "details",
      pageId: String(a),
      authorId: "",
      entryDate: "",
      pageNumber: String(before[0]!.page.page_number),
      layout: "horizontal",
    });
    expect(details.status).toBe(400);
    const restore = await staff.post(`/review/pages/${b}`, [
      ["intent", "restore"],
      ["fromVersion", "1"],
      ...(await baseFields(a, va)),
    ]);
    expect(restore.status).toBe(400);

    expect(await state()).toEqual(before);

    // The same edit with page B's own base is saved on B.
    const own = await staff.post(`/review/pages/${b}`, [
      ["intent", "save"],
      ...(await baseFields(b, vb)),
      ["mode", "text"],
      ["text", "Bページの本文"],
    ]);
    expect(own.status).toBe(200);
    expect((await getLatestVersion(b))!.text).toBe("Bページの本文");
    expect((await getLatestVersion(a))!.version).toBe(va);
  });
});
