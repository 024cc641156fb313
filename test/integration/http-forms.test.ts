/** Bad input over HTTP, as a browser without JavaScript would send it: a Japanese message, nothing changed. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeParticipant, makeStaff } from "../helpers/factories";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let client: Client;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;

beforeAll(async () => {
  const staff = await makeStaff();
  group = await makeActiveGroup();
  server = await startServer({ databasePath: process.env.DATABASE_PATH! });
  client = new Client(server.url);
  await client.loginStaff(staff.login, staff.password);
});

afterAll(async () => {
  await server?.stop();
});

describe("invalid input", () => {
  it("a participant without a name", async () => {
    const before = await countRows("participant");
    const response = await client.post("/participants/new", {
      cohortId: String(group.cohortId),
      realName: "  ",
      penName: "ななし",
      ageBand: "20s",
      referralType: "staff",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("入力してください。");
    // What was typed comes back, so nothing has to be typed again.
    expect(html).toContain('value="ななし"');
    expect(await countRows("participant")).toBe(before);
  });

  it("a date in the wrong format", async () => {
    const before = await countRows("cohort");
    const response = await client.post("/cohorts?index", {
      name: "2030年度",
      startsOn: "2030/04/01",
      endsOn: "2031-03-31",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      "日付は 2026-04-01 のように、年-月-日で入力してください。",
    );
    expect(await countRows("cohort")).toBe(before);
  });

  it("a fourth member", async () => {
    const before = await countRows("group_member");
    const fourth = await makeParticipant(group.cohortId);
    const response = await client.post(`/groups/${group.groupId}`, {
      intent: "addMember",
      participantId: String(fourth),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("このグループにはすでに3人います。");
    expect(await countRows("group_member")).toBe(before);
  });

  it("a handoff time that cannot be read", async () => {
    const before = await countRows("handoff");
    const response = await client.post(`/groups/${group.groupId}`, {
      intent: "handoff",
      to: String(group.members[0]),
      healthRoomId: String(group.roomId),
      handedAt: "きのう",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("日時は 2026-04-01 14:30 のように入力してください。");
    expect(await countRows("handoff")).toBe(before);
  });

  it("an unknown access code", async () => {
    const response = await new Client(server.url).post("/code", { code: "ZZZZ-ZZZZ-ZZZZ" });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("アクセスコードが正しくありません。");
  });

  it("an id that is not a number in the address", async () => {
    expect((await client.get("/groups/abc")).status).toBe(404);
    expect((await client.get("/participants/0")).status).toBe(404);
  });
});
