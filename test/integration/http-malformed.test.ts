/**
 * Malformed requests over HTTP: every route, with bodies no form of ours sends (JSON, plain text,
 * nothing at all, multipart where only urlencoded is expected), from anonymous visitors, staff and
 * administrators. None may end in a 5xx. The routes are read from app/routes when the test runs,
 * so a new route is covered without touching this file.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ja } from "~/i18n/ja";
import { addPage } from "~/models/pages.server";
import { createResource, ResourceInputSchema } from "~/models/resources.server";
import { planWalk } from "~/models/town-walks.server";
import { makeActiveGroup, makeParticipant, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";
import { ROOT } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

interface RouteModule {
  id: string;
  hasAction: boolean;
  hasLoader: boolean;
  hasComponent: boolean;
}

/** The flat-routes convention: `routes/a.$b.tsx`, or a folder `routes/a.$b/route.tsx`. */
function readRouteModules(): RouteModule[] {
  const dir = path.join(ROOT, "app", "routes");
  const modules: RouteModule[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || /\.test\.tsx?$/.test(entry.name)) continue;
    let file: string | undefined;
    let id: string;
    if (entry.isDirectory()) {
      file = ["route.tsx", "route.ts"]
        .map((f) => path.join(dir, entry.name, f))
        .find((f) => fs.existsSync(f));
      id = entry.name;
    } else {
      if (/\.tsx?$/.test(entry.name)) file = path.join(dir, entry.name);
      id = entry.name.replace(/\.tsx?$/, "");
    }
    if (!file) continue;
    const source = fs.readFileSync(file, "utf8");
    // `export async function action`, `export const action =` or `export { action }`.
    const exports = (name: string) =>
      [
        `^export\\s+(?:async\\s+)?(?:function|const|let)\\s+${name}\\b`,
        `^export\\s*\\{[^}]*\\b${name}\\b`,
      ].some((pattern) => new RegExp(pattern, "m").test(source));
    modules.push({
      id,
      hasAction: exports("action"),
      hasLoader: exports("loader"),
      hasComponent: /^export\s+default\b/m.test(source),
    });
  }
  return modules;
}

let ids: Record<string, number | string>;

/** A concrete URL for a route id, with real rows for its parameters; `?index` for index routes. */
function urlFor(routeId: string, { forPost }: { forPost: boolean }) {
  const segments: string[] = [];
  let index = false;
  for (const segment of routeId.split(".")) {
    if (segment === "_index") index = true;
    else if (segment.startsWith("_")) continue;
    else if (segment.startsWith("$")) {
      const id = ids[segment.slice(1)];
      if (id === undefined)
        throw new Error(`No test row for the parameter ${segment} of ${routeId}`);
      segments.push(String(id));
    } else segments.push(segment.replace(/_$/, ""));
  }
  return "/" + segments.join("/") + (index && forPost ? "?index" : "");
}

let server: RunningServer;
let staffUser: Awaited<ReturnType<typeof makeStaff>>;
let adminUser: Awaited<ReturnType<typeof makeStaff>>;
let clients: { who: string; client: Client; relogin?: () => Promise<unknown> }[];
const routes = readRouteModules();

beforeAll(async () => {
  staffUser = await makeStaff();
  adminUser = await makeStaff("admin");
  // Rows that junk may change: none of them is the session's own account.
  const otherStaff = await makeStaff();
  const group = await makeActiveGroup();
  const participantId = await makeParticipant(group.cohortId);
  const { pageId } = await addPage(group.groupId, fixture("ocr", "horizontal.jpg"), {
    actor: staffUser.actor,
  });
  const resourceId = await createResource(
    ResourceInputSchema.parse({
      name: "テスト資源",
      category: "place",
      status: "active",
      visibility: "public",
      area: "テスト地区",
    }),
    staffUser,
  );
  const walkId = await planWalk(
    {
      area: "テスト地区",
      healthRoomId: group.roomId,
      plannedOn: "2026-12-01",
      stops: [{ resourceId }],
    },
    staffUser,
  );
  ids = {
    groupId: group.groupId,
    cohortId: group.cohortId,
    roomId: group.roomId,
    participantId,
    pageId,
    staffId: otherStaff.id,
    resourceId,
    walkId,
    format: "csv",
  };
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  const staff = new Client(server.url);
  const admin = new Client(server.url);
  clients = [
    { who: "anonymous", client: new Client(server.url) },
    {
      who: "staff",
      client: staff,
      relogin: () => staff.loginStaff(staffUser.login, staffUser.password),
    },
    {
      who: "admin",
      client: admin,
      relogin: () => admin.loginStaff(adminUser.login, adminUser.password),
    },
  ];
  for (const c of clients) await c.relogin?.();
});

afterAll(async () => {
  await server?.stop();
});

const session = (who: "anonymous" | "staff" | "admin") => clients.find((c) => c.who === who)!;

/** Same-origin, so that the cross-site refusal in app/server.ts is not what answers. */
function send(
  client: Client,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: BodyInit },
) {
  return fetch(client.base + pathname, {
    method: init.method ?? "POST",
    headers: { cookie: client.cookie, origin: client.base, ...init.headers },
    body: init.body,
    redirect: "manual",
  });
}

function multipart(fields: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return body;
}

const JUNK = {
  intent: "x",
  id: "abc",
  pageId: "-1",
  lang: "zz",
  redirectTo: "//example.com",
  "\u0000": "\uFFFF",
  name: "あ".repeat(3000),
};

const BODIES: {
  name: string;
  init: () => { headers?: Record<string, string>; body?: BodyInit };
}[] = [
  {
    name: "urlencoded junk",
    init: () => ({
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(JUNK).toString(),
    }),
  },
  {
    name: "urlencoded, broken escapes",
    init: () => ({
      headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" },
      body: "intent=%zz&%E3%81=%&&=&a=%FF%FE",
    }),
  },
  {
    name: "JSON",
    init: () => ({
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ intent: "x" }),
    }),
  },
  { name: "empty, no content type", init: () => ({}) },
  {
    name: "text/plain",
    init: () => ({ headers: { "content-type": "text/plain;charset=UTF-8" }, body: "intent=x" }),
  },
  { name: "multipart junk", init: () => ({ body: multipart(JUNK) }) },
  {
    name: "multipart without a boundary",
    init: () => ({ headers: { "content-type": "multipart/form-data" }, body: "intent=x" }),
  },
  {
    name: "multipart, broken body",
    init: () => ({
      headers: { "content-type": "multipart/form-data; boundary=XYZ" },
      body: '--XYZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\nx\r\n--XY',
    }),
  },
];

describe("malformed requests", () => {
  it("finds the routes to try", () => {
    const withAction = routes.filter((r) => r.hasAction).map((r) => r.id);
    expect(withAction).toContain("login");
    expect(withAction).toContain("scan.$groupId.upload");
    expect(withAction).toContain("review.pages.$pageId");
  });

  it.each(["anonymous", "staff", "admin"] as const)(
    "never get a 5xx from any route, sent by %s",
    async (who) => {
      const { client, relogin } = session(who);
      const failures: string[] = [];
      for (const route of routes) {
        const url = urlFor(route.id, { forPost: true });
        for (const body of BODIES) {
          const response = await send(client, url, body.init());
          if (response.status >= 500)
            failures.push(`${who} POST ${url} (${body.name}): ${response.status}`);
          await response.arrayBuffer();
          // Logging out ends the session whatever the body: start a new one.
          if (route.id === "logout") await relogin?.();
        }
      }
      expect(failures).toEqual([]);
    },
    // Each staff login takes about a second (scrypt), and /logout is tried with every body.
    120_000,
  );

  it("a GET to a resource route made for POSTs is refused without a 5xx", async () => {
    // Resource routes (no page to show) with an action: /logout, /language, the upload endpoint.
    const postTargets = routes.filter((r) => r.hasAction && !r.hasComponent);
    expect(postTargets.map((r) => r.id)).toContain("scan.$groupId.upload");
    for (const { who, client } of clients) {
      for (const route of postTargets) {
        const url = urlFor(route.id, { forPost: false });
        const response = await send(client, url, { method: "GET" });
        expect(response.status, `${who} GET ${url}`).toBeLessThan(500);
        await response.arrayBuffer();
      }
    }
  });

  it("a form sent as JSON gets 415 and a Japanese page", async () => {
    const response = await send(session("staff").client, "/login", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: staffUser.login, password: staffUser.password }),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain(ja["errorPage.415"]);
  });

  it("a resource route answers 415 with a Japanese message", async () => {
    const response = await send(session("anonymous").client, "/language", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ lang: "en" }),
    });
    expect(response.status).toBe(415);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toContain(ja["errorPage.415"]);
  });

  it("a POST to a page without an action gets 405 and a Japanese page", async () => {
    const response = await send(session("staff").client, "/scan", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "intent=x",
    });
    expect(response.status).toBe(405);
    expect(await response.text()).toContain(ja["errorPage.405"]);
  });
});

describe("the upload endpoint of the scanning station", () => {
  const upload = () => `/scan/${ids.groupId}/upload`;

  it("answers 415 with a Japanese message to anything but multipart", async () => {
    const { client } = session("staff");
    for (const body of BODIES.filter((b) => !b.name.startsWith("multipart"))) {
      const response = await send(client, upload(), body.init());
      expect(response.status, body.name).toBe(415);
      expect(await response.json(), body.name).toEqual({
        status: "error",
        name: "",
        key: "upload.notMultipart",
        httpStatus: 415,
      });
    }
    expect(ja["upload.notMultipart"]).toMatch(/[ぁ-んァ-ン一-龯]/);
  });

  it("answers 400 to a multipart body that cannot be read", async () => {
    const { client } = session("staff");
    const unreadable = ["multipart without a boundary", "multipart, broken body"];
    for (const body of BODIES.filter((b) => unreadable.includes(b.name))) {
      const response = await send(client, upload(), body.init());
      expect(response.status, body.name).toBe(400);
      expect((await response.json()).key, body.name).toBe("upload.unreadable");
    }
  });

  it("answers 405 to a GET, saying POST is the method", async () => {
    const response = await send(session("staff").client, upload(), { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    const body = (await response.json()) as { key: keyof typeof ja };
    expect(body).toMatchObject({ status: "error", httpStatus: 405 });
    expect(ja[body.key]).toMatch(/[ぁ-んァ-ン一-龯]/);
  });
});
