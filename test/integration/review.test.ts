/**
 * Review of transcriptions on the real database, with drafts from the real OCR runner:
 * versions, concurrent saves, restore, Unicode, and 見守り flags keeping a page from its group
 * until a staff member has acknowledged them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvePage, restoreVersion, saveTranscription } from "~/models/page-lifecycle.server";
import {
  compareVersions,
  getEditBase,
  getLatestVersion,
  listVersions,
} from "~/models/transcriptions.server";
import { listFlagsForPage } from "~/models/watch.server";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";
import { Client, startServer, type RunningServer } from "../helpers/server";

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let alice: Staff;
let bob: Staff;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let plainPages: number[];
let concernPage: number;
let server: RunningServer;

const by = (s: Staff) => ({ actor: { type: "staff" as const, staffId: s.id } });
/** The base of an edit made on `version` of the page, as the editor's form carries it. */
const at = (pageId: number, version: number) => getEditBase(pageId, version);
const asEdit = (text: string) => text.split("\n").map((t, i) => ({ text: t, src: [i] }));

beforeAll(async () => {
  alice = await makeStaff();
  bob = await makeStaff();
  group = await makeActiveGroup();
  const horizontal = fixture("ocr", "horizontal.jpg");
  const ids = await pagesWithDrafts(group.groupId, by(alice).actor, [
    fixture("watch", "concern.jpg"),
    horizontal,
    horizontal,
    horizontal,
    horizontal,
  ]);
  concernPage = ids[0]!;
  plainPages = ids.slice(1);
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("versions", () => {
  it("refuses the second of two saves made from the same version, showing the other's change", async () => {
    const pageId = plainPages[0]!;
    const draft = (await getLatestVersion(pageId))!;
    expect(draft).toMatchObject({ version: 1, source: "ocr" });
    const lines = draft.text.split("\n");

    const first = await saveTranscription(
      pageId,
      await at(pageId, 1),
      asEdit(["アリスの直し", ...lines.slice(1)].join("\n")),
      by(alice),
    );
    expect(first).toMatchObject({ status: "saved", version: 2 });

    const second = await saveTranscription(
      pageId,
      await at(pageId, 1),
      asEdit([...lines.slice(0, -1), "ボブの直し"].join("\n")),
      by(bob),
    );
    expect(second.status).toBe("conflict");
    if (second.status !== "conflict") return;
    expect(second.theirs).toMatchObject({ version: 2, by: alice.displayName });
    // The changes shown turn the version Bob started from into Alice's.
    const theirs = second.changes.filter((p) => p.kind !== "removed").map((p) => p.text);
    const base = second.changes.filter((p) => p.kind !== "added").map((p) => p.text);
    expect(theirs.join("")).toBe(["アリスの直し", ...lines.slice(1)].join("\n"));
    expect(base.join("")).toBe(draft.text);
    expect(second.changes.some((p) => p.kind === "added")).toBe(true);
    // Nothing of Bob's was written; Alice's version is the newest.
    expect((await listVersions(pageId)).map((v) => v.version)).toEqual([2, 1]);
    expect((await getLatestVersion(pageId))!.text).toContain("アリスの直し");

    // Bob, having seen it, saves on top of version 2.
    const third = await saveTranscription(
      pageId,
      await at(pageId, 2),
      asEdit(["アリスの直し", ...lines.slice(1, -1), "ボブの直し"].join("\n")),
      by(bob),
    );
    expect(third).toMatchObject({ status: "saved", version: 3 });
  });

  it("makes no version when nothing changed", async () => {
    const pageId = plainPages[1]!;
    const draft = (await getLatestVersion(pageId))!;
    const outcome = await saveTranscription(
      pageId,
      await at(pageId, 1),
      asEdit(draft.text),
      by(alice),
    );
    expect(outcome).toEqual({ status: "unchanged", version: 1 });
  });

  it("restores an old version as a new one, keeping everything in between", async () => {
    const pageId = plainPages[2]!;
    const ocr = (await getLatestVersion(pageId))!;
    await saveTranscription(pageId, await at(pageId, 1), asEdit("まちがえて全部消した"), by(alice));
    const restored = await restoreVersion(pageId, 1, await at(pageId, 2), by(bob));
    expect(restored).toMatchObject({ status: "saved", version: 3 });
    const latest = (await getLatestVersion(pageId))!;
    expect(latest.text).toBe(ocr.text);
    expect(latest.restoredFrom).toBe(1);
    expect(latest.by).toBe(bob.displayName);
    // Boxes and OCR marks come back with the lines.
    expect(latest.lines).toEqual(ocr.lines);
    expect((await listVersions(pageId)).map((v) => [v.version, v.source])).toEqual([
      [3, "staff"],
      [2, "staff"],
      [1, "ocr"],
    ]);
    // A restore from a stale screen is refused like a save.
    expect((await restoreVersion(pageId, 2, await at(pageId, 2), by(alice))).status).toBe(
      "conflict",
    );
  });

  it("keeps characters outside the BMP and stores NFC, through the form and on the group page", async () => {
    const pageId = plainPages[3]!;
    const client = new Client(server.url);
    await client.loginStaff(alice.login, alice.password);
    const response = await client.post(`/review/pages/${pageId}`, [
      ["intent", "save"],
      ["pageId", String(pageId)],
      ["baseVersion", "1"],
      ["baseHash", (await at(pageId, 1)).hash],
      ["line", "𠮷野さんと𩸽を食べた"],
      ["src", "0"],
      // が written as か + combining voiced mark (NFD), as some keyboards send it.
      ["line", "か\u3099んばった"],
      ["src", "1"],
    ]);
    expect(response.status).toBe(200);
    const latest = (await getLatestVersion(pageId))!;
    expect(latest.text).toBe("𠮷野さんと𩸽を食べた\nがんばった");
    expect(latest.lines.map((l) => l.text)).toEqual(["𠮷野さんと𩸽を食べた", "がんばった"]);
    // The diff works on code points: no half of a surrogate pair on either side.
    const diff = (await compareVersions(pageId, 1, 2))!;
    for (const part of diff.parts)
      expect(part.text).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
    expect(
      diff.parts
        .filter((p) => p.kind === "added")
        .map((p) => p.text)
        .join(""),
    ).toContain("𠮷");

    await approvePage(pageId, await at(pageId, 2), null, by(alice));
    const participant = new Client(server.url);
    await participant.loginParticipant(group.codes[0]!);
    const html = await (await participant.get(`/g/${group.groupId}`)).text();
    expect(html).toContain("𠮷野さんと𩸽を食べた");
  });
});

describe("見守り flags", () => {
  it("opens a flag when OCR reads a concern phrase, and keeps the page from the group until acknowledged", async () => {
    const flags = await listFlagsForPage(concernPage);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      status: "open",
      source: "phrase",
      phrase: "消えたい",
      version: 1,
    });
    expect(flags[0]!.matchedText).toBe("消えたい");
    expect(flags[0]!.contextBefore).toContain("夜になると");
    expect(flags[0]!.contextAfter).toContain("と思って");

    // Approving the text does not show the page while the flag is open.
    const draft = (await getLatestVersion(concernPage))!;
    expect(
      (await approvePage(concernPage, await at(concernPage, draft.version), null, by(alice)))
        .status,
    ).toBe("approved");
    const participant = new Client(server.url);
    await participant.loginParticipant(group.codes[1]!);
    const before = await (await participant.get(`/g/${group.groupId}`)).text();
    expect(before).not.toContain("安心します");
    expect(before).not.toContain("消えたい");
    expect((await participant.get(`/g/${group.groupId}/pages/${concernPage}/image`)).status).toBe(
      404,
    );

    // A staff member acknowledges it with a note; the audit log has both steps.
    const staffClient = new Client(server.url);
    await staffClient.loginStaff(bob.login, bob.password);
    const empty = await staffClient.post(`/review/pages/${concernPage}`, {
      intent: "acknowledge",
      pageId: String(concernPage),
      flagId: String(flags[0]!.id),
      note: "",
    });
    expect(empty.status).toBe(400);
    expect((await listFlagsForPage(concernPage))[0]!.status).toBe("open");
    const ack = await staffClient.post(`/review/pages/${concernPage}`, {
      intent: "acknowledge",
      pageId: String(concernPage),
      flagId: String(flags[0]!.id),
      note: "電話で様子を聞いた。次回の受け渡しで声をかける。",
    });
    expect(ack.status).toBe(200);
    const [after] = await listFlagsForPage(concernPage);
    expect(after).toMatchObject({
      status: "acknowledged",
      acknowledgedBy: bob.displayName,
      acknowledgementNote: "電話で様子を聞いた。次回の受け渡しで声をかける。",
    });
    const audit = await getDb()
      .selectFrom("audit_log")
      .select(["action", "actor_type"])
      .where("entity_type", "=", "page")
      .where("entity_id", "=", String(concernPage))
      .where("action", "like", "watch_flag.%")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "watch_flag.open", actor_type: "system" },
      { action: "watch_flag.acknowledge", actor_type: "staff" },
    ]);

    const shown = await (await participant.get(`/g/${group.groupId}`)).text();
    expect(shown).toContain("安心します");
    // Newest first: the later page of the notebook (approved earlier) comes before it.
    expect(shown.indexOf("𠮷野さん")).toBeGreaterThan(-1);
    expect(shown.indexOf("𠮷野さん")).toBeLessThan(shown.indexOf("安心します"));
    // The flag, its note and the staff words never reach the participant.
    expect(shown).not.toContain("電話で様子");
    expect(shown).not.toContain("見守り");
    const image = await participant.get(`/g/${group.groupId}/pages/${concernPage}/image`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
  });

  it("checks each saved version too, but raises a phrase only once per page", async () => {
    const pageId = plainPages[0]!;
    const latest = (await getLatestVersion(pageId))!;
    const saved = await saveTranscription(
      pageId,
      await at(pageId, latest.version),
      asEdit(`${latest.text}\nもう しにたい`),
      by(alice),
    );
    expect(saved).toMatchObject({ status: "saved", flagsOpened: 1 });
    const again = await saveTranscription(
      pageId,
      await at(pageId, latest.version + 1),
      asEdit(`${latest.text}\nもう死にたい。`),
      by(alice),
    );
    expect(again).toMatchObject({ status: "saved", flagsOpened: 0 });
    const flags = await listFlagsForPage(pageId);
    expect(flags.map((f) => [f.phrase, f.matchedText])).toEqual([["死にたい", "しにたい"]]);
  });

  it("never shows another group's pages or unapproved text to a participant", async () => {
    const other = await makeActiveGroup();
    const participant = new Client(server.url);
    await participant.loginParticipant(other.codes[0]!);
    expect((await participant.get(`/g/${group.groupId}`)).status).toBe(404);
    expect((await participant.get(`/g/${group.groupId}/pages/${plainPages[3]}/image`)).status).toBe(
      404,
    );
    // Own group page: the unapproved drafts of the first group are not there either way.
    const own = await (await participant.get(`/g/${other.groupId}`)).text();
    expect(own).not.toContain("アリスの直し");
  });
});
