/**
 * Participants' rights over HTTP against the real server and SQLite file (decisions 025, 026):
 * the disclosure ZIP (unzipped and read), 利用停止 of all of a writer's pages and its undo, and
 * deletion on request — refused with nothing changed while it must wait, then proven by searching
 * every table and column, the raw database and WAL bytes, and every file under UPLOADS_DIR for
 * the deleted words and the photos' SHA-256 hashes.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordHandoff } from "~/models/custody.server";
import { setGroupStatus } from "~/models/groups.server";
import {
  approvePage,
  claimNextJob,
  completeOcr,
  saveTranscription,
} from "~/models/page-lifecycle.server";
import { requestHide } from "~/models/page-visibility.server";
import { addPage } from "~/models/pages.server";
import { getParticipant, updateParticipant } from "~/models/participants.server";
import { acceptSeed, createSeed, getResourceWithProvenance } from "~/models/seeds.server";
import { getEditBase, updatePageDetails } from "~/models/transcriptions.server";
import { acknowledgeFlag, raiseManualFlag } from "~/models/watch.server";
import { derivePageCrop, resolveUpload } from "~/storage/images.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { makeActiveGroup, makeStaff, participantInput, system } from "../helpers/factories";
import { ON_POSTGRES, TMP_DIR } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

const tag = crypto.randomBytes(4).toString("hex");
/** Words that exist only in the target's data: none may be found after the deletion. */
const MARK = {
  ocr: `読取マーカー${tag}`,
  staff: `職員修正マーカー${tag}`,
  seed: `将棋クラブ${tag}木曜`,
  note: `タネのメモ${tag}`,
  handoff: `受け渡しメモ${tag}`,
  flag: `見守り理由${tag}`,
  ack: `対応記録${tag}`,
  realName: `架空実名${tag}`,
  contact: `090-${tag}`,
};

/** Another member's words, which must stay. */
const OTHER = `ほかの人のページ${tag}`;

let server: RunningServer;
let staff: Awaited<ReturnType<typeof makeStaff>>;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let target: number;
let penName: string;
let pageIds: number[] = [];
let resourceId: number;
/** SHA-256 of every file the target's pages had (originals, viewing, thumbnails, crops). */
const fileHashes = new Set<string>();
const imageShas: string[] = [];

async function staffClient() {
  const client = new Client(server.url);
  await client.loginStaff(staff.login, staff.password);
  return client;
}

/** A photo no other page has: noise, so that its hash and derived files are its own. */
async function uniquePhoto(seed: number) {
  const { width, height } = { width: 900, height: 1200 };
  const raw = crypto.randomBytes(width * height * 3);
  raw[0] = seed;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** Upload → OCR draft with a real crop file → staff version → approved, written by `author`. */
async function approvedPage(
  photo: Buffer,
  author: number,
  n: number,
  words = { ocr: MARK.ocr, staff: MARK.staff, seed: MARK.seed },
) {
  const by = { actor: staff.actor };
  const added = await addPage(group.groupId, photo, by);
  if (added.status !== "added") throw new Error(`not added: ${added.status}`);
  const owner = `rights-${tag}`;
  const job = await claimNextJob(getDb(), owner, 60_000);
  if (job?.page_id !== added.pageId) throw new Error("another OCR job was queued first");
  const page = await getDb()
    .selectFrom("page")
    .select(["image_sha256", "viewing_path"])
    .where("id", "=", added.pageId)
    .executeTakeFirstOrThrow();
  const crop = await derivePageCrop(
    fs.readFileSync(resolveUpload(page.viewing_path)),
    { sha256: page.image_sha256, rotation: 0, jobId: job.id },
    { angle: 0, left: -200, top: -300, width: 400, height: 600 },
  );
  const ocrText = `今日は${words.ocr}の日。`;
  const { stored } = await completeOcr(
    getDb(),
    { id: job.id, pageId: added.pageId, owner },
    {
      text: ocrText,
      lines: [{ text: ocrText, confidence: 80, bbox: null, unsure: [] }],
      confidence: 80,
      layout: "horizontal",
      timings: {},
    },
    { cropPath: crop.cropPath, ...crop.geometry },
  );
  if (!stored) throw new Error("draft not stored");
  await updatePageDetails(
    added.pageId,
    { authorId: author, entryDate: `2026-05-0${n}`, pageNumber: n, layout: "horizontal" },
    by,
  );
  const text = `今日は${words.staff}の日。\n駅前で${words.seed}があるらしい。`;
  const saved = await saveTranscription(
    added.pageId,
    await getEditBase(added.pageId),
    { text },
    by,
  );
  if (saved.status === "conflict") throw new Error("conflict");
  const approved = await approvePage(added.pageId, await getEditBase(added.pageId), null, by);
  if (approved.status !== "approved") throw new Error("not approved");
  return added.pageId;
}

beforeAll(async () => {
  staff = await makeStaff();
  group = await makeActiveGroup();
  target = group.members[0]!;
  const current = (await getParticipant(target))!;
  penName = current.pen_name;
  await updateParticipant(
    target,
    participantInput(current.cohort_id, {
      realName: MARK.realName,
      penName,
      contact: MARK.contact,
      consentSeedsOn: "2026-04-02",
    }),
    system,
  );
  for (const n of [1, 2]) pageIds.push(await approvedPage(await uniquePhoto(n), target, n));
  // Another member's page, which must stay.
  await approvedPage(await uniquePhoto(9), group.members[1]!, 3, {
    ocr: OTHER,
    staff: OTHER,
    seed: OTHER,
  });

  const by = { actor: staff.actor };
  const rows = await getDb().selectFrom("page").selectAll().where("id", "in", pageIds).execute();
  for (const row of rows) {
    imageShas.push(row.image_sha256);
    for (const f of [row.original_path, row.viewing_path, row.thumb_path, row.crop_path]) {
      expect(f).toBeTruthy();
      fileHashes.add(
        crypto
          .createHash("sha256")
          .update(fs.readFileSync(resolveUpload(f!)))
          .digest("hex"),
      );
    }
  }
  // Seeds with the writer's words: one accepted into a resource, one left proposed.
  const version = (await getEditBase(pageIds[0]!)).version;
  const text = `今日は${MARK.staff}の日。\n駅前で${MARK.seed}があるらしい。`;
  const start = Array.from(text.slice(0, text.indexOf(MARK.seed))).length;
  const seedInput = {
    pageId: pageIds[0]!,
    version,
    start,
    end: start + Array.from(MARK.seed).length,
    quote: MARK.seed,
    category: "activity" as const,
    tags: ["将棋"],
    area: null,
    note: MARK.note,
  };
  const accepted = await createSeed({ ...seedInput, title: "木曜の将棋の会" }, by);
  resourceId = await acceptSeed(accepted, { visibility: "staff" }, by);
  await createSeed({ ...seedInput, pageId: pageIds[1]!, title: "将棋（もう一件）" }, by);

  // A 見守り flag raised and acknowledged, a handoff to the writer, a hide request by them.
  await raiseManualFlag(pageIds[1]!, MARK.flag, by);
  const flag = await getDb()
    .selectFrom("watch_flag")
    .select("id")
    .where("page_id", "=", pageIds[1]!)
    .executeTakeFirstOrThrow();
  await acknowledgeFlag(pageIds[1]!, flag.id, MARK.ack, by);
  await recordHandoff(
    group.groupId,
    {
      to: String(target),
      healthRoomId: group.roomId,
      handedAt: new Date().toISOString(),
      dueOn: null,
      note: MARK.handoff,
    },
    by,
  );
  await requestHide(pageIds[1]!, {
    actor: { type: "participant", participantId: target },
    participantId: target,
    groupId: group.groupId,
  });

  server = await startServer({ databasePath: getEnv().databasePath });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("開示: the disclosure ZIP", () => {
  it("holds a readable Japanese index, the data as JSON and metadata-free images", async () => {
    const client = await staffClient();
    const auditBefore = await auditCount("participant.disclose");
    const response = await client.post(`/participants/${target}/disclosure`, {});
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`attachment; filename="disclosure-${target}-\\d{8}\\.zip"`),
    );
    const dir = fs.mkdtempSync(path.join(TMP_DIR, "disclosure-"));
    const zip = path.join(dir, "d.zip");
    fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
    expect(execFileSync("unzip", ["-t", zip], { encoding: "utf8" })).toContain(
      "No errors detected",
    );
    execFileSync("unzip", ["-q", zip, "-d", dir]);
    const [folder] = fs.readdirSync(dir).filter((n) => n.startsWith("disclosure-"));
    const root = path.join(dir, folder!);

    const html = fs.readFileSync(path.join(root, "index.html"), "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain(`${penName}さんについて保有している情報`);
    expect(html).toContain(MARK.realName);
    // Every version's text, next to the page's picture; dates in Japanese.
    expect(html).toContain(MARK.staff);
    expect(html).toContain(MARK.ocr);
    expect(html).toContain("2026年5月1日(金)");
    expect(html).toContain(MARK.seed);
    expect(html).toContain("書いたページ（2 枚）");
    // Offline and inert: no script, nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // Only the target's pages, in the notebook's order.
    const first = html.indexOf("1 ページ目");
    const second = html.indexOf("2 ページ目");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(html).not.toContain("3 ページ目");

    const images = [...html.matchAll(/<img src="(images\/[^"]+)"/g)].map((m) => m[1]!);
    expect(images).toHaveLength(2);
    const files = fs.readdirSync(path.join(root, "images"));
    // Per page: the straightened crop and the whole photo (viewing size), never the original.
    expect(files).toHaveLength(4);
    for (const rel of images) expect(fs.existsSync(path.join(root, rel))).toBe(true);
    for (const name of files) {
      const bytes = fs.readFileSync(path.join(root, "images", name));
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.exif).toBeUndefined();
      const originals = await getDb()
        .selectFrom("page")
        .select("image_sha256")
        .where("id", "in", pageIds)
        .execute();
      const hash = crypto.createHash("sha256").update(bytes).digest("hex");
      expect(originals.map((o) => o.image_sha256)).not.toContain(hash);
    }

    const data = JSON.parse(fs.readFileSync(path.join(root, "data.json"), "utf8"));
    expect(data.participant).toMatchObject({
      id: target,
      penName,
      realName: MARK.realName,
      contact: MARK.contact,
      consentSeedsOn: "2026-04-02",
    });
    expect(data.pages.map((p: { id: number }) => p.id)).toEqual(pageIds);
    // OCR draft, staff version, (the approve does not add one): every version is there.
    for (const p of data.pages) {
      expect(p.versions.map((v: { source: string }) => v.source)).toEqual(["ocr", "staff"]);
      expect(p.versions.at(-1).approved).toBe(true);
    }
    expect(data.pages[1].hideRequestedAt).toBeTruthy();
    expect(data.seeds).toHaveLength(2);
    expect(data.seeds[0]).toMatchObject({ quote: MARK.seed, note: MARK.note });
    expect(data.memberships).toHaveLength(1);
    expect(data.handoffs[0]).toMatchObject({ to: penName, note: MARK.handoff });
    // The access code is a secret, not the person's data: neither its hash nor its selector.
    const secret = await getDb()
      .selectFrom("participant")
      .select(["access_code_hash", "access_code_selector"])
      .where("id", "=", target)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(data)).not.toContain(secret.access_code_hash!);
    expect(JSON.stringify(data)).not.toContain(`"${secret.access_code_selector!}"`);
    // 見守り flags stay with staff (decision 025).
    expect(JSON.stringify(data)).not.toContain(MARK.flag);
    const actions = data.audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["participant.update", "page.approve", "page.hide_request"]),
    );

    // Audited, with counts and no words.
    expect(await auditCount("participant.disclose")).toBe(auditBefore + 1);
    const row = await lastAudit("participant.disclose");
    expect(JSON.parse(row.detail)).toMatchObject({ pages: 2, versions: 4, images: 4, seeds: 2 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is for staff only, and only by POST", async () => {
    const participant = new Client(server.url);
    await participant.loginParticipant(group.codes[0]!);
    expect((await participant.post(`/participants/${target}/disclosure`, {})).status).toBe(404);
    const anon = new Client(server.url);
    expect((await anon.post(`/participants/${target}/disclosure`, {})).status).toBe(302);
    const client = await staffClient();
    expect((await client.get(`/participants/${target}/disclosure`)).status).toBe(405);
    expect((await client.post(`/participants/999999/disclosure`, {})).status).toBe(404);
  });
});

describe("利用停止: all of a writer's pages at once", () => {
  it("hides them from the group, audited, and undoing it leaves the writer's own request", async () => {
    const client = await staffClient();
    const reader = new Client(server.url);
    await reader.loginParticipant(group.codes[2]!);
    const groupPage = async () => (await (await reader.get(`/g/${group.groupId}`)).text()) ?? "";
    // Page 1 is shown, page 2 was hidden at the writer's request.
    expect(await groupPage()).toContain(MARK.staff);

    const hidden = await client.post(`/participants/${target}`, { intent: "hidePages" });
    expect(hidden.status).toBe(200);
    expect(await hidden.text()).toContain("利用停止にしました");
    expect((await getParticipant(target))!.pages_hidden_at).toBeTruthy();
    expect(await groupPage()).not.toContain(MARK.staff);
    // The other member's page is still there.
    expect(await groupPage()).toContain(OTHER);
    const staffPage = await (await client.get(`/participants/${target}`)).text();
    expect(staffPage).toContain("この人のページをグループに表示していません");
    expect(JSON.parse((await lastAudit("participant.pages_hide")).detail)).toEqual({ pages: 2 });

    const shown = await client.post(`/participants/${target}`, { intent: "showPages" });
    expect(shown.status).toBe(200);
    expect((await getParticipant(target))!.pages_hidden_at).toBeNull();
    expect(await groupPage()).toContain(MARK.staff);
    const requested = await getDb()
      .selectFrom("page")
      .select(["hidden", "hide_requested_at"])
      .where("id", "=", pageIds[1]!)
      .executeTakeFirstOrThrow();
    expect(requested.hidden).toBe(1);
    expect(requested.hide_requested_at).toBeTruthy();
    expect(await auditCount("participant.pages_show")).toBe(1);
  });
});

describe("消去: deletion on request", () => {
  it("is refused, with nothing changed, while they are in an active group or the name is wrong", async () => {
    const client = await staffClient();
    const before = await snapshot();
    const confirm = await (await client.get(`/participants/${target}?delete=confirm`)).text();
    expect(confirm).toContain("参加者の削除（消去）");
    expect(confirm).toContain("先にグループの画面で別の参加者と交代するか");
    const inGroup = await client.post(`/participants/${target}?delete=confirm`, {
      intent: "delete",
      penName,
    });
    expect(inGroup.status).toBe(400);
    expect(await inGroup.text()).toContain("何も削除していません");
    await setGroupStatus(group.groupId, "finished", system);
    const wrongName = await client.post(`/participants/${target}?delete=confirm`, {
      intent: "delete",
      penName: `${penName}x`,
    });
    expect(wrongName.status).toBe(400);
    expect(await wrongName.text()).toContain("ペンネームが一致しません");
    expect(await snapshot()).toEqual(before);
  });

  it("leaves none of their words or photos in any table, the database file, the WAL or uploads", async () => {
    const client = await staffClient();
    // A session of theirs, which must go too.
    const participant = new Client(server.url);
    await participant.loginParticipant(group.codes[0]!);
    const otherPage = await getDb()
      .selectFrom("page")
      .select("id")
      .where("group_id", "=", group.groupId)
      .where("id", "not in", pageIds)
      .executeTakeFirstOrThrow();

    const response = await client.post(`/participants/${target}?delete=confirm`, {
      intent: "delete",
      penName: ` ${penName} `,
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(
      new RegExp(`^/participants/${target}\\?deleted=1&pages=2&files=8$`),
    );
    const after = await (await client.get(response.headers.get("location")!)).text();
    expect(after).toContain("削除された参加者");
    expect(after).toContain("参加者を削除しました（ページ 2 枚、ファイル 8 個）");
    // Their session is gone.
    expect((await participant.get(`/g/${group.groupId}`)).status).toBe(302);

    // The placeholder keeps the group's history together; nothing personal is left on it.
    const row = (await getParticipant(target))!;
    expect(row).toMatchObject({
      pen_name: "削除された参加者",
      real_name: "削除された参加者",
      contact: null,
      access_code_hash: null,
      access_code_selector: null,
      consent_seeds_on: null,
    });
    expect(row.deleted_at).toBeTruthy();
    const members = await getDb()
      .selectFrom("group_member")
      .select("participant_id")
      .where("group_id", "=", group.groupId)
      .execute();
    expect(members.map((m) => m.participant_id)).toContain(target);
    expect(await count("handoff", "to_participant_id", target)).toBe(1);
    expect(await count("page", "author_participant_id", target)).toBe(0);
    expect(await count("page", "id", otherPage.id)).toBe(1);
    expect(await count("session", "participant_id", target)).toBe(0);

    // The resource stays; its provenance is a deleted page, without the words.
    const provenance = (await getResourceWithProvenance(resourceId))!;
    expect(provenance.resource.name).toBe("木曜の将棋の会");
    expect(provenance.seeds).toHaveLength(1);
    expect(provenance.seeds[0]).toMatchObject({ page_id: null, quote: "" });
    const resourcePage = await (await client.get(`/resources/${resourceId}`)).text();
    expect(resourcePage).toContain("削除されたページ");

    // Audited with counts and ids only.
    const audit = await lastAudit("participant.delete");
    expect(JSON.parse(audit.detail)).toMatchObject({
      pages: 2,
      transcriptions: 4,
      watchFlags: 1,
      seedsEmptied: 2,
      seedsInResources: 1,
    });
    expect(JSON.parse(audit.detail).sessions).toBeGreaterThanOrEqual(1);

    const needles = [...Object.values(MARK), penName, ...imageShas, ...fileHashes];
    // 1. Every table and column, read through SQL.
    const { rows: tables } = ON_POSTGRES
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = 'public'`.execute(getDb())
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table'`.execute(getDb());
    expect(tables.length).toBeGreaterThan(20);
    for (const { name } of tables) {
      const { rows } = await sql`select * from ${sql.table(name)}`.execute(getDb());
      const dump = JSON.stringify(rows);
      for (const needle of needles)
        expect(dump, `${needle} in table ${name}`).not.toContain(needle);
    }
    // The other member's page is all there.
    const { rows: kept } = await sql<{
      text: string;
    }>`select text from transcription where page_id = ${otherPage.id}`.execute(getDb());
    expect(kept.map((r) => r.text).join()).toContain(OTHER);
    // 2. The raw bytes of the database file and its WAL: no copy in a free page or old frame
    // (SQLite; PostgreSQL's files are its own, see decision 026).
    const databasePath = getEnv().databasePath;
    for (const file of [databasePath, `${databasePath}-wal`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file);
      for (const needle of needles)
        expect(bytes.includes(Buffer.from(needle, "utf8")), `${needle} in ${file}`).toBe(false);
    }
    // 3. Every file under UPLOADS_DIR: no name and no content of theirs.
    const uploads = getEnv().uploadsDir;
    const all = fs.readdirSync(uploads, { recursive: true, encoding: "utf8" });
    const remaining = all.filter((f) => fs.statSync(path.join(uploads, f)).isFile());
    expect(remaining.length).toBeGreaterThan(0);
    for (const file of remaining) {
      for (const sha of imageShas) expect(file).not.toContain(sha);
      const hash = crypto
        .createHash("sha256")
        .update(fs.readFileSync(path.join(uploads, file)))
        .digest("hex");
      expect(fileHashes.has(hash), `${file} is one of the deleted images`).toBe(false);
    }

    // Asked again: the participant is gone.
    const again = await client.post(`/participants/${target}?delete=confirm`, {
      intent: "delete",
      penName,
    });
    expect(again.status).toBe(404);
  });
});

async function auditCount(action: string) {
  const row = await getDb()
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("action", "=", action)
    .where("entity_id", "=", String(target))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lastAudit(action: string) {
  return getDb()
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .where("entity_id", "=", String(target))
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
}

async function count(table: "page" | "session" | "handoff", column: string, value: number) {
  const row = await getDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(column as never, "=", value as never)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every table that deletion touches, and the target's row. */
async function snapshot() {
  const tables = [
    "participant",
    "page",
    "transcription",
    "seed",
    "watch_flag",
    "session",
    "group_member",
    "handoff",
  ] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const row = await getDb()
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[t] = Number(row.n);
  }
  return { counts, participant: await getParticipant(target) };
}
