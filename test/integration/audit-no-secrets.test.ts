/**
 * What the audit log may hold (issue 15, decision 024): after a walk through the whole app over
 * HTTP on the real server — staff and admins, participants, the scanning station, the review
 * editor, flags, seeds, custody, passwords and access codes — no audit row, in any column or in
 * its detail JSON, holds diary text, a note or reason typed in free text, a participant's
 * personal details, a password, an access code, or the hash of either. Every one of those was
 * typed as a distinctive marker; the walk also checks that each marker did reach the database
 * where it belongs, so a step that silently failed cannot make the grep pass.
 *
 * The log outlives a participant deleted on request (it cannot be deleted, decision 020), so
 * personal details in it could never be erased: ids only.
 */
import crypto from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNextJob, completeOcr } from "~/models/page-lifecycle.server";
import { getEditBase, getLatestVersion } from "~/models/transcriptions.server";
import { getDb } from "~/utils/db.server";
import { makeCohort, makeRoom, makeStaff } from "../helpers/factories";
import { Client, startServer, type RunningServer } from "../helpers/server";

const tag = crypto.randomBytes(4).toString("hex");
/** Distinctive strings, one per thing typed; found anywhere in the log, they are a leak. */
const M = {
  diaryOcr: `ZQDIARYOCR${tag}`,
  diaryStaff: `ZQDIARYSTAFF${tag}`,
  password1: `ZQPASSONE${tag}-long`,
  password2: `ZQPASSTWO${tag}-long`,
  wrongPassword: `ZQPASSWRONG${tag}-long`,
  passwordInLogin: `zqpassinlogin${tag}`,
  realName: `ZQREALNAME${tag}`,
  penName: `ZQPEN${tag}`,
  contact: `ZQCONTACT${tag}`,
  contact2: `ZQCONTACTTWO${tag}`,
  referralNote: `ZQREFNOTE${tag}`,
  flagNote: `ZQFLAGNOTE${tag}`,
  ackNote: `ZQACKNOTE${tag}`,
  seedTitle: `ZQSEEDTITLE${tag}`,
  seedNote: `ZQSEEDNOTE${tag}`,
  rejectNote: `ZQREJECTNOTE${tag}`,
  handoffNote: `ZQHANDOFFNOTE${tag}`,
};

let server: RunningServer;
let admin: Client;
let staff: Client;
let participantClient: Client;
/** Access codes issued during the walk (the first one rotated away). */
const codes: string[] = [];
/** Password and access-code hashes seen during the walk. */
const hashes = new Set<string>();
let groupId: number;
let pageId: number;
let members: number[] = [];

function expectStatus(response: Response, status: number | number[], what: string) {
  const allowed = Array.isArray(status) ? status : [status];
  expect(allowed, `${what}: HTTP ${response.status}`).toContain(response.status);
  return response;
}

const idFrom = (response: Response, pattern: RegExp) =>
  Number(pattern.exec(response.headers.get("location") ?? "")![1]);

async function editFields(id: number): Promise<Array<[string, string]>> {
  const base = await getEditBase(id);
  return [
    ["pageId", String(id)],
    ["baseVersion", String(base.version)],
    ["baseHash", base.hash],
  ];
}

async function rememberHashes() {
  const db = getDb();
  for (const s of await db.selectFrom("staff_user").select("password_hash").execute())
    hashes.add(s.password_hash);
  for (const p of await db.selectFrom("participant").select("access_code_hash").execute())
    if (p.access_code_hash) hashes.add(p.access_code_hash);
}

async function issueCode(participantId: number) {
  const response = expectStatus(
    await staff.post(`/participants/${participantId}`, { intent: "issueCode" }),
    200,
    "issue an access code",
  );
  const code = /data-testid="issued-code"[^>]*>([^<]+)</.exec(await response.text())![1]!.trim();
  codes.push(code);
  await rememberHashes();
  return code;
}

beforeAll(async () => {
  const firstAdmin = await makeStaff("admin");
  const cohortId = await makeCohort();
  const roomId = await makeRoom();
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  admin = new Client(server.url);
  await admin.loginStaff(firstAdmin.login, firstAdmin.password);

  // An administrator creates a staff account with a password; its owner logs in with it, after
  // a wrong password and a password typed into the login field by mistake.
  const login = `walker-${tag}`;
  const created = expectStatus(
    await admin.post("/admin/staff?index", {
      login,
      displayName: "監査 歩く人",
      role: "staff",
      password: M.password1,
    }),
    302,
    "create a staff account",
  );
  const staffId = idFrom(created, /\/admin\/staff\/(\d+)/);
  staff = new Client(server.url);
  expectStatus(
    await staff.post("/login", { login, password: M.wrongPassword }),
    [400, 401],
    "wrong password",
  );
  expectStatus(
    await staff.post("/login", { login: M.passwordInLogin, password: login }),
    [400, 401],
    "password typed as the login",
  );
  await staff.loginStaff(login, M.password1);
  await rememberHashes();
  // The administrator sets a new password; the old one stops working.
  expectStatus(
    await admin.post(`/admin/staff/${staffId}`, { intent: "password", password: M.password2 }),
    [200, 302],
    "reset the password",
  );
  await rememberHashes();
  staff = new Client(server.url);
  await staff.loginStaff(login, M.password2);

  // Staff register three participants (personal details and a referral note typed in).
  for (let i = 0; i < 3; i++) {
    const response = expectStatus(
      await staff.post("/participants/new", {
        cohortId: String(cohortId),
        realName: `${M.realName}${i}`,
        penName: `${M.penName}${i}`,
        contact: `${M.contact}${i}`,
        ageBand: "20s",
        referralType: "staff",
        referredByParticipantId: "",
        referralNote: `${M.referralNote}${i}`,
        consentReadingOn: "2026-04-01",
        consentDigitisingOn: "2026-04-01",
        consentSeedsOn: "2026-04-01",
        withdrawnOn: "",
      }),
      302,
      "register a participant",
    );
    members.push(idFrom(response, /\/participants\/(\d+)/));
  }
  const group = expectStatus(
    await staff.post("/groups/new", {
      cohortId: String(cohortId),
      name: `監査グループ ${tag}`,
      healthRoomId: String(roomId),
      handoffIntervalDays: "7",
      notebookLabel: "青いノート",
      member1: String(members[0]),
      member2: String(members[1]),
      member3: String(members[2]),
    }),
    302,
    "create a group",
  );
  groupId = idFrom(group, /\/groups\/(\d+)/);
  expectStatus(
    await staff.post(`/groups/${groupId}`, { intent: "status", status: "active" }),
    [200, 302],
    "start the group",
  );

  // Access codes: issued, rotated; the participant logs in with the new one; the old one and the
  // code typed into the staff login form fail.
  await issueCode(members[0]!);
  const rotated = await issueCode(members[0]!);
  await issueCode(members[1]!);
  participantClient = new Client(server.url);
  expectStatus(
    await new Client(server.url).post("/code", { code: codes[0]! }),
    [400, 401],
    "the rotated-away code",
  );
  await participantClient.loginParticipant(rotated);
  expectStatus(
    await new Client(server.url).post("/login", { login: rotated, password: M.password2 }),
    [400, 401],
    "an access code typed into the staff login",
  );

  // The station uploads a photo; OCR (off in tests) is done here as the runner does it, with the
  // diary text, which holds a concern phrase (見守り).
  const photo = await sharp({
    create: { width: 600, height: 800, channels: 3, background: { r: 250, g: 248, b: 240 } },
  })
    .composite([
      {
        input: Buffer.from(
          `<svg width="600" height="800"><rect x="${Number.parseInt(tag.slice(0, 2), 16)}" y="100" width="300" height="9"/></svg>`,
        ),
      },
    ])
    .jpeg()
    .toBuffer();
  const upload = expectStatus(
    await staff.upload(`/scan/${groupId}/upload`, [{ name: "日記.jpg", bytes: photo }]),
    201,
    "upload a page",
  );
  pageId = ((await upload.json()) as { pageId: number }).pageId;
  const job = await claimNextJob(getDb(), "audit-walk", 60_000);
  expect(job?.page_id).toBe(pageId);
  const ocrText = `今日は公園で${M.diaryOcr}を見た。消えたいと思った日もある。`;
  await completeOcr(
    getDb(),
    { id: job!.id, pageId, owner: "audit-walk" },
    {
      text: ocrText,
      lines: [{ text: ocrText, confidence: 80, bbox: null, unsure: [] }],
      confidence: 80,
      layout: "horizontal",
      timings: {},
    },
    null,
  );

  // The review editor: a corrected version, page details, a manual flag, both flags answered
  // with notes, approval.
  const review = `/review/pages/${pageId}`;
  expectStatus(await staff.get(review), 200, "open the editor");
  const corrected = `今日は公園で${M.diaryStaff}と将棋をした。木曜の午後は公民館で将棋の会がある。`;
  expectStatus(
    await staff.post(review, [
      ["intent", "save"],
      ...(await editFields(pageId)),
      ["mode", "text"],
      ["text", corrected],
    ]),
    [200, 302],
    "save a version",
  );
  expectStatus(
    await staff.post(review, {
      intent: "details",
      pageId: String(pageId),
      authorId: String(members[0]),
      entryDate: "2026-11-20",
      pageNumber: "1",
      layout: "horizontal",
    }),
    200,
    "page details",
  );
  expectStatus(
    await staff.post(review, { intent: "flag", pageId: String(pageId), note: M.flagNote }),
    200,
    "raise a flag",
  );
  const flags = await getDb()
    .selectFrom("watch_flag")
    .select("id")
    .where("page_id", "=", pageId)
    .where("status", "=", "open")
    .execute();
  expect(flags.length).toBe(2);
  for (const flag of flags)
    expectStatus(
      await staff.post(review, {
        intent: "acknowledge",
        pageId: String(pageId),
        flagId: String(flag.id),
        note: M.ackNote,
      }),
      200,
      "acknowledge a flag",
    );
  expectStatus(
    await staff.post(review, [
      ["intent", "approve"],
      ...(await editFields(pageId)),
      ["mode", "text"],
      ["text", corrected],
    ]),
    302,
    "approve",
  );

  // A seed from the approved text, with a title and a note; then rejected with a note.
  const approved = (await getLatestVersion(pageId))!;
  const quote = "木曜の午後は公民館で将棋の会がある";
  const start = [...approved.text].length - [...quote].length - 1;
  expect([...approved.text].slice(start, start + [...quote].length).join("")).toBe(quote);
  expectStatus(
    await staff.post(review, {
      intent: "seed",
      pageId: String(pageId),
      version: String(approved.version),
      start: String(start),
      end: String(start + [...quote].length),
      quote,
      title: M.seedTitle,
      category: "activity",
      tags: "将棋",
      area: "",
      note: M.seedNote,
    }),
    [200, 302],
    "tag a seed",
  );
  const seed = await getDb()
    .selectFrom("seed")
    .select("id")
    .where("page_id", "=", pageId)
    .executeTakeFirstOrThrow();
  expectStatus(
    await staff.post("/seeds", {
      intent: "reject",
      seedId: String(seed.id),
      reason: "other",
      note: M.rejectNote,
    }),
    [200, 302],
    "reject the seed",
  );

  // Custody: the notebook handed over, with a note.
  expectStatus(
    await staff.post(`/groups/${groupId}`, {
      intent: "handoff",
      to: String(members[1]),
      healthRoomId: String(roomId),
      handedAt: "2026-12-01T10:00",
      dueOn: "",
      note: M.handoffNote,
    }),
    [200, 302],
    "record a handoff",
  );

  // The participant reads the group page and asks to hide their page.
  const groupPage = expectStatus(await participantClient.get(`/g/${groupId}`), 200, "group page");
  expect(await groupPage.text()).toContain(M.diaryStaff);
  expectStatus(
    await participantClient.post(`/g/${groupId}`, { intent: "hide", pageId: String(pageId) }),
    302,
    "ask to hide the page",
  );

  // Staff change the participant's contact.
  expectStatus(
    await staff.post(`/participants/${members[2]}`, {
      cohortId: String(cohortId),
      realName: `${M.realName}2`,
      penName: `${M.penName}2`,
      contact: M.contact2,
      ageBand: "30s",
      referralType: "staff",
      referredByParticipantId: "",
      referralNote: `${M.referralNote}2`,
      consentReadingOn: "2026-04-01",
      consentDigitisingOn: "2026-04-01",
      consentSeedsOn: "2026-04-01",
      withdrawnOn: "",
    }),
    200,
    "update a participant",
  );

  // The administrator reads and exports the log.
  expectStatus(await admin.get(`/admin/audit?who=staff:${staffId}`), 200, "audit view");
  const csv = expectStatus(await admin.get("/admin/audit/export.csv"), 200, "audit export");
  await csv.arrayBuffer();
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

describe("after a walk through the whole app", () => {
  it("the markers reached the database where they belong (the walk really happened)", async () => {
    const db = getDb();
    const text = async (table: "transcription" | "watch_flag" | "seed" | "handoff") =>
      JSON.stringify(await db.selectFrom(table).selectAll().execute());
    expect(await text("transcription")).toContain(M.diaryOcr);
    expect(await text("transcription")).toContain(M.diaryStaff);
    const flags = await text("watch_flag");
    expect(flags).toContain(M.flagNote);
    expect(flags).toContain(M.ackNote);
    const seeds = await text("seed");
    expect(seeds).toContain(M.seedNote);
    expect(seeds).toContain(M.rejectNote);
    expect(await text("handoff")).toContain(M.handoffNote);
    const people = JSON.stringify(await db.selectFrom("participant").selectAll().execute());
    for (const m of [M.realName, M.penName, M.contact2, M.referralNote])
      expect(people).toContain(m);
    expect(codes).toHaveLength(3);
    expect(hashes.size).toBeGreaterThanOrEqual(5);
    const page = await db
      .selectFrom("page")
      .select(["status", "hidden"])
      .where("id", "=", pageId)
      .executeTakeFirstOrThrow();
    expect(page).toEqual({ status: "approved", hidden: 1 });
  });

  it("every step is in the log", async () => {
    const actions = new Set(
      (await getDb().selectFrom("audit_log").select("action").execute()).map((r) => r.action),
    );
    for (const action of [
      "staff.create",
      "staff.login_failed",
      "staff.login",
      "staff.password_reset",
      "participant.create",
      "participant.update",
      "group.create",
      "group.status_change",
      "participant.access_code_issue",
      "participant.access_code_rotate",
      "participant.login_failed",
      "participant.login",
      "page.create",
      "transcription.save",
      "page.details",
      "watch_flag.open",
      "watch_flag.raise",
      "watch_flag.acknowledge",
      "page.approve",
      "seed.propose",
      "seed.reject",
      "handoff.record",
      "page.hide_request",
      "audit_log.export",
    ])
      expect(actions, action).toContain(action);
  });

  it("no audit row holds diary text, notes, personal details, passwords, codes or hashes", async () => {
    const rows = await getDb().selectFrom("audit_log").selectAll().execute();
    expect(rows.length).toBeGreaterThan(30);
    const secrets: Array<[string, string]> = [
      ...Object.entries(M),
      ...codes.flatMap((code, i): Array<[string, string]> => {
        const compact = code.replace(/-/g, "");
        return [
          [`access code ${i}`, code],
          [`access code ${i} without hyphens`, compact],
          [`access code ${i}'s secret part`, compact.slice(4)],
        ];
      }),
      ...[...hashes].map((h, i): [string, string] => [`hash ${i}`, h]),
    ];
    const leaks: string[] = [];
    for (const row of rows) {
      // Every column as stored, and the detail JSON decoded (escapes undone).
      const detail = JSON.parse(row.detail) as unknown;
      const haystack = [
        ...Object.values(row).map((v) => String(v)),
        JSON.stringify(detail, null, 0),
        ...collectStrings(detail),
      ]
        .join("\n")
        .toLowerCase();
      for (const [what, secret] of secrets)
        if (haystack.includes(secret.toLowerCase()))
          leaks.push(`row ${row.id} (${row.action}) holds the ${what}: ${row.detail}`);
    }
    expect(leaks).toEqual([]);
  });

  it("no row about a page names the concern phrase its text matched", async () => {
    const phrases = (
      await getDb().selectFrom("concern_phrase").select(["phrase", "variants"]).execute()
    ).flatMap((p) => [p.phrase, ...(JSON.parse(p.variants) as string[])]);
    expect(phrases).toContain("消えたい");
    const rows = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("entity_type", "=", "page")
      .execute();
    const named = rows.filter((r) => phrases.some((p) => r.detail.includes(p)));
    expect(named.map((r) => `${r.action}: ${r.detail}`)).toEqual([]);
  });
});

function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(collectStrings);
  return [];
}
