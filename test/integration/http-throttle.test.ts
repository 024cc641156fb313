/**
 * Login throttling over HTTP (decision 028): bursts of parallel attempts are counted before
 * any is checked, and a stranger who knows a login id or a card's code cannot lock its owner
 * out. The server trusts X-Forwarded-For from loopback (TRUST_PROXY) so that the test can speak
 * from several addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { THROTTLE_LIMITS } from "~/utils/throttle.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { TRUST_PROXY: "loopback" },
  });
});

afterAll(async () => {
  await server?.stop();
});

function post(pathname: string, fields: Record<string, string>, from?: string) {
  return fetch(server.url + pathname, {
    method: "POST",
    headers: {
      origin: server.url,
      "content-type": "application/x-www-form-urlencoded",
      ...(from ? { "x-forwarded-for": from } : {}),
    },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

function tally(statuses: number[]) {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

describe("parallel attempts", () => {
  it("40 wrong passwords at once: only the limit is checked, then even the right one waits", async () => {
    const staff = await makeStaff();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post("/login", { login: staff.login, password: `wrong-${i}` }, "192.0.2.10").then(
          (r) => r.status,
        ),
      ),
    );
    expect(tally(statuses)).toEqual({
      401: THROTTLE_LIMITS.account_address,
      429: 40 - THROTTLE_LIMITS.account_address,
    });
    const right = await post(
      "/login",
      { login: staff.login, password: staff.password },
      "192.0.2.10",
    );
    expect(right.status).toBe(429);
  });

  it("a burst of 59 wrong passwords and the right one does not get in", async () => {
    const staff = await makeStaff();
    const attempts = Array.from({ length: 59 }, (_, i) => `wrong-${i}`);
    attempts.splice(30, 0, staff.password);
    const statuses = await Promise.all(
      attempts.map((password) =>
        post("/login", { login: staff.login, password }, "192.0.2.11").then((r) => r.status),
      ),
    );
    const counts = tally(statuses);
    // At most the limit is checked, the right password among them or not.
    expect((counts[401] ?? 0) + (counts[302] ?? 0)).toBeLessThanOrEqual(
      THROTTLE_LIMITS.account_address,
    );
    expect(counts[429]).toBeGreaterThanOrEqual(60 - THROTTLE_LIMITS.account_address);
  });

  it("40 wrong access codes at once on /code: only the limit is checked", async () => {
    const { codes } = await makeActiveGroup();
    // The card's selector with a wrong secret part.
    const wrong = codes[0]!.replace(/[^-]{4}$/, (last) => (last === "2345" ? "6789" : "2345"));
    expect(wrong).not.toBe(codes[0]);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        post("/code", { code: wrong }, "192.0.2.12").then((r) => r.status),
      ),
    );
    expect(tally(statuses)).toEqual({
      401: THROTTLE_LIMITS.code_address,
      429: 40 - THROTTLE_LIMITS.code_address,
    });
  });
});

describe("lock-out policy", () => {
  it("a stranger's failures lock out the stranger, not the account's owner", async () => {
    const staff = await makeStaff();
    for (let i = 0; i < THROTTLE_LIMITS.account_address + 2; i++) {
      const r = await post(
        "/login",
        { login: staff.login, password: `guess-${i}` },
        "203.0.113.66",
      );
      expect(r.status).toBe(i < THROTTLE_LIMITS.account_address ? 401 : 429);
    }
    const owner = await post(
      "/login",
      { login: staff.login, password: staff.password },
      "198.51.100.20",
    );
    expect(owner.status).toBe(302);
  });

  it("guessing spread over many addresses stops everyone but the owner's usual address", async () => {
    const staff = await makeStaff();
    // The owner has logged in from the office before.
    expect(
      (await post("/login", { login: staff.login, password: staff.password }, "198.51.100.30"))
        .status,
    ).toBe(302);
    // A distributed attack has used up the account's limit (rows as the throttle writes them).
    const now = new Date().toISOString();
    await getDb()
      .insertInto("login_attempt")
      .values(
        Array.from({ length: THROTTLE_LIMITS.account }, () => ({
          scope: "account" as const,
          key: staff.login.toLowerCase(),
          attempted_at: now,
        })),
      )
      .execute();
    const fromNewPlace = await post(
      "/login",
      { login: staff.login, password: staff.password },
      "203.0.113.99",
    );
    expect(fromNewPlace.status).toBe(429);
    const fromOffice = await post(
      "/login",
      { login: staff.login, password: staff.password },
      "198.51.100.30",
    );
    expect(fromOffice.status).toBe(302);
  });

  it("a successful login does not count as a failure", async () => {
    const staff = await makeStaff();
    for (let i = 0; i <= THROTTLE_LIMITS.account_address; i++) {
      const r = await post(
        "/login",
        { login: staff.login, password: staff.password },
        "198.51.100.40",
      );
      expect(r.status).toBe(302);
    }
  });
});
