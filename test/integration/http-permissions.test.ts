/**
 * Every permission rule, checked over real HTTP against the running server: anonymous, participant,
 * staff and admin sessions; cross-origin POSTs; session revocation; throttling; headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setStaffActive } from "~/models/staff.server";
import { getDb } from "~/utils/db.server";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeStaff, system } from "../helpers/factories";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Awaited<ReturnType<typeof makeStaff>>;
let staff: Awaited<ReturnType<typeof makeStaff>>;
let groupA: Awaited<ReturnType<typeof makeActiveGroup>>;
let groupB: Awaited<ReturnType<typeof makeActiveGroup>>;

beforeAll(async () => {
  admin = await makeStaff("admin");
  staff = await makeStaff("staff");
  groupA = await makeActiveGroup();
  groupB = await makeActiveGroup({ cohortId: groupA.cohortId, roomId: groupA.roomId });
  server = await startServer({ databasePath: process.env.DATABASE_PATH! });
});

afterAll(async () => {
  await server?.stop();
});

const STAFF_PAGES = [
  "/",
  "/participants",
  "/participants/new",
  "/groups",
  "/groups/new",
  "/cohorts",
];
const ADMIN_PAGES = ["/admin/health-rooms", "/admin/staff", "/admin/audit"];

describe("anonymous visitors", () => {
  it("are sent to the login page from every staff and admin page", async () => {
    const client = new Client(server.url);
    for (const page of [...STAFF_PAGES, ...ADMIN_PAGES, `/groups/${groupA.groupId}`]) {
      const response = await client.get(page);
      expect(response.status, page).toBe(302);
      expect(response.headers.get("location"), page).toMatch(/^\/login/);
    }
  });

  it("are sent to the participant entrance from a group page", async () => {
    const response = await new Client(server.url).get(`/g/${groupA.groupId}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/code/);
  });

  it("cannot post to a staff action", async () => {
    const before = await countRows("cohort");
    const response = await new Client(server.url).post("/cohorts?index", {
      name: "不正",
      startsOn: "2026-04-01",
      endsOn: "2027-03-31",
    });
    expect(response.status).toBe(302);
    expect(await countRows("cohort")).toBe(before);
  });
});

describe("participants", () => {
  it("see their own group and get 404 for any other group", async () => {
    const client = new Client(server.url);
    await client.loginParticipant(groupA.codes[0]!);
    const me = await client.get("/me");
    expect(me.headers.get("location")).toBe(`/g/${groupA.groupId}`);
    const own = await client.get(`/g/${groupA.groupId}`);
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain("グループ");
    expect((await client.get(`/g/${groupB.groupId}`)).status).toBe(404);
    expect((await client.get(`/g/999999`)).status).toBe(404);
  });

  it("never see real names on their group page", async () => {
    const client = new Client(server.url);
    await client.loginParticipant(groupA.codes[1]!);
    const html = await (await client.get(`/g/${groupA.groupId}`)).text();
    const realNames = await getDb()
      .selectFrom("participant")
      .select("real_name")
      .where("id", "in", groupA.members)
      .execute();
    for (const { real_name } of realNames) expect(html).not.toContain(real_name);
  });

  it("get 404 from every staff and admin page and action, as if there were none (decision 016)", async () => {
    const client = new Client(server.url);
    await client.loginParticipant(groupA.codes[2]!);
    for (const page of [
      ...STAFF_PAGES.filter((p) => p !== "/"),
      ...ADMIN_PAGES,
      `/groups/${groupA.groupId}`,
    ]) {
      expect((await client.get(page)).status, page).toBe(404);
    }
    // The staff dashboard sends participants to their own page instead.
    expect((await client.get("/")).headers.get("location")).toBe("/me");
    const before = await countRows("cohort");
    expect(
      (
        await client.post("/cohorts?index", {
          name: "x",
          startsOn: "2026-04-01",
          endsOn: "2026-05-01",
        })
      ).status,
    ).toBe(404);
    expect(await countRows("cohort")).toBe(before);
  });

  it("are turned away with an unknown code", async () => {
    const response = await new Client(server.url).post("/code", { code: "AAAA-BBBB-CCCC" });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("アクセスコードが正しくありません");
  });
});

describe("staff without the admin role", () => {
  it("use the staff pages but are refused the admin pages and actions", async () => {
    const client = new Client(server.url);
    await client.loginStaff(staff.login, staff.password);
    for (const page of [...STAFF_PAGES, `/groups/${groupA.groupId}`, `/g/${groupB.groupId}`]) {
      expect((await client.get(page)).status, page).toBe(200);
    }
    for (const page of ADMIN_PAGES) expect((await client.get(page)).status, page).toBe(403);
    const rooms = await countRows("health_room");
    const response = await client.post("/admin/health-rooms?index", {
      name: "x",
      area: "x",
      address: "x",
    });
    expect(response.status).toBe(403);
    expect(await countRows("health_room")).toBe(rooms);
  });
});

describe("admins", () => {
  it("open the admin pages and see logins in the audit log", async () => {
    const client = new Client(server.url);
    await client.loginStaff(admin.login, admin.password);
    for (const page of ADMIN_PAGES) expect((await client.get(page)).status, page).toBe(200);
    const audit = await getDb()
      .selectFrom("audit_log")
      .select("action")
      .where("actor_staff_id", "=", admin.id)
      .where("action", "=", "staff.login")
      .execute();
    expect(audit.length).toBeGreaterThan(0);
  });
});

describe("cross-site requests", () => {
  it("rejects a POST from another origin and changes nothing", async () => {
    const client = new Client(server.url);
    await client.loginStaff(admin.login, admin.password);
    const before = await countRows("cohort");
    const fields = { name: "よそから", startsOn: "2026-04-01", endsOn: "2027-03-31" };
    const response = await client.post("/cohorts?index", fields, { origin: "http://evil.example" });
    expect(response.status).toBe(403);
    expect(await countRows("cohort")).toBe(before);
    const sameSite = await client.post("/cohorts?index", fields);
    expect(sameSite.status).toBe(302);
    expect(await countRows("cohort")).toBe(before + 1);
  });

  it("rejects a cross-site POST that carries no Origin header", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
      body: "login=a&password=b",
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });
});

describe("sessions", () => {
  it("ends at logout, and logout is a POST only", async () => {
    const client = new Client(server.url);
    await client.loginStaff(staff.login, staff.password);
    const cookie = client.cookie;
    expect((await client.get("/logout")).status).toBe(302);
    expect((await client.get("/groups")).status).toBe(200);
    await client.post("/logout", {});
    client.cookie = cookie; // replaying the old cookie must not work
    expect((await client.get("/groups")).status).toBe(302);
  });

  it("ends when the account is deactivated", async () => {
    const other = await makeStaff();
    const client = new Client(server.url);
    await client.loginStaff(other.login, other.password);
    expect((await client.get("/groups")).status).toBe(200);
    await setStaffActive(other.id, false, system);
    expect((await client.get("/groups")).status).toBe(302);
    expect(
      (
        await new Client(server.url).post("/login", {
          login: other.login,
          password: other.password,
        })
      ).status,
    ).toBe(401);
  });

  it("ends after the idle timeout", async () => {
    const client = new Client(server.url);
    await client.loginStaff(staff.login, staff.password);
    await getDb()
      .updateTable("session")
      .set({ last_seen_at: new Date(Date.now() - 3 * 3600_000).toISOString() })
      .where("staff_user_id", "=", staff.id)
      .execute();
    expect((await client.get("/groups")).status).toBe(302);
  });

  it("uses an HttpOnly, SameSite=Lax cookie", async () => {
    const response = await new Client(server.url).post("/login", {
      login: staff.login,
      password: staff.password,
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it("of a participant ends when staff rotate the access code", async () => {
    const g = await makeActiveGroup();
    const client = new Client(server.url);
    await client.loginParticipant(g.codes[0]!);
    expect((await client.get(`/g/${g.groupId}`)).status).toBe(200);
    const staffClient = new Client(server.url);
    await staffClient.loginStaff(staff.login, staff.password);
    const rotated = await staffClient.post(`/participants/${g.members[0]}`, {
      intent: "issueCode",
    });
    expect(rotated.status).toBe(200);
    expect(await rotated.text()).toMatch(/[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/);
    expect((await client.get(`/g/${g.groupId}`)).status).toBe(302);
    expect((await new Client(server.url).post("/code", { code: g.codes[0]! })).status).toBe(401);
  });
});

describe("login throttling", () => {
  it("answers 429 after 10 failures for an account, even with the right password", async () => {
    const target = await makeStaff();
    const client = new Client(server.url);
    for (let i = 0; i < 10; i++) {
      expect(
        (await client.post("/login", { login: target.login, password: "wrong-password" })).status,
      ).toBe(401);
    }
    const eleventh = await client.post("/login", {
      login: target.login,
      password: "wrong-password",
    });
    expect(eleventh.status).toBe(429);
    expect(await eleventh.text()).toContain("しばらくログインできません");
    expect(
      (await client.post("/login", { login: target.login, password: target.password })).status,
    ).toBe(429);
    const failures = await getDb()
      .selectFrom("audit_log")
      .select("id")
      .where("action", "=", "staff.login_failed")
      .where("entity_id", "=", String(target.id))
      .execute();
    expect(failures).toHaveLength(10);
  });
});

describe("response headers", () => {
  it("carry a nonce-based CSP and the other security headers on every page", async () => {
    const anonymous = new Client(server.url);
    const client = new Client(server.url);
    await client.loginStaff(staff.login, staff.password);
    for (const [page, who] of [
      ["/login", anonymous],
      ["/groups", client],
    ] as const) {
      const response = await who.get(page);
      expect(response.status, page).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, page).toBeTruthy();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("cache-control")).toBe("no-store");
      const html = await response.text();
      // Every inline script carries the nonce.
      const scripts = html.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    }
  });

  it("answer <html lang> in the chosen language", async () => {
    const client = new Client(server.url);
    expect(await (await client.get("/login")).text()).toContain('<html lang="ja"');
    const switched = await fetch(`${server.url}/login`, { headers: { cookie: "lang=en" } });
    const html = await switched.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("Staff login");
  });
});
