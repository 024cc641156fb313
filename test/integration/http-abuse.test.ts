/**
 * The app attacked as an outsider would (issue 15, "Abuse and bad input"), over HTTP against the
 * real server: redirects after login, oversized bodies, awkward uploads, control characters, and
 * the headers, cookies and origin checks that held and must keep holding.
 */
import http from "node:http";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPage } from "~/models/pages.server";
import { MAX_UPLOAD_BYTES } from "~/storage/images.server";
import { getDb } from "~/utils/db.server";
import { countRows } from "../helpers/db";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";
import { Client, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let staff: Awaited<ReturnType<typeof makeStaff>>;
let client: Client;
let group: Awaited<ReturnType<typeof makeActiveGroup>>;
let pageId: number;

beforeAll(async () => {
  staff = await makeStaff();
  group = await makeActiveGroup();
  ({ pageId } = await addPage(group.groupId, fixture("ocr", "horizontal.jpg"), {
    actor: { type: "staff", staffId: staff.id },
  }));
  server = await startServer({
    databasePath: process.env.DATABASE_PATH!,
    env: { UPLOADS_DIR: process.env.UPLOADS_DIR! },
  });
  client = new Client(server.url);
  await client.loginStaff(staff.login, staff.password);
});

afterAll(async () => {
  await server?.stop();
});

/** Where a browser would go with this Location header (the URL parser drops tabs and breaks). */
function destination(response: Response) {
  const location = response.headers.get("location");
  expect(location, "a redirect").not.toBeNull();
  return new URL(location!, server.url);
}

describe("redirects to a target the visitor chose", () => {
  const outside = [
    "/\t/evil.example/phish",
    "/\t\\evil.example",
    "/\n/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https://evil.example/",
    " //evil.example",
    "/\u0000/evil.example",
  ];

  it("a login never ends on another site", async () => {
    for (const redirectTo of outside) {
      const visitor = new Client(server.url);
      const response = await visitor.post("/login", {
        login: staff.login,
        password: staff.password,
        redirectTo,
      });
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      expect(destination(response).origin, JSON.stringify(redirectTo)).toBe(server.url);
      expect(destination(response).pathname).toBe("/");
    }
  });

  it("non-ASCII, CR/LF and NUL in redirectTo do not break a correct login", async () => {
    const cases: Array<[string, string]> = [
      ["/groups?q=ひまわり", "/groups?q=%E3%81%B2%E3%81%BE%E3%82%8F%E3%82%8A"],
      ["/groups\r\nSet-Cookie: stolen=1", "/"],
      ["/groups\u0000", "/"],
      ["/groups/%0d%0a", "/groups/%0d%0a"],
    ];
    for (const [redirectTo, expected] of cases) {
      const visitor = new Client(server.url);
      const response = await visitor.post("/login", {
        login: staff.login,
        password: staff.password,
        redirectTo,
      });
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      expect(response.headers.get("location")).toBe(expected);
      expect(response.headers.getSetCookie().join("\n")).not.toContain("stolen");
      expect(visitor.cookie).not.toBe("");
    }
  });

  it("a same-site path with its query is kept", async () => {
    const visitor = new Client(server.url);
    const response = await visitor.post("/login", {
      login: staff.login,
      password: staff.password,
      redirectTo: "/review?group=3#top",
    });
    expect(response.headers.get("location")).toBe("/review?group=3#top");
  });

  it("the language switch never sends anyone elsewhere", async () => {
    for (const redirectTo of [...outside, "/groups\r\nX: 1", "/グループ"]) {
      const response = await client.post("/language", { lang: "en", redirectTo });
      expect(response.status, JSON.stringify(redirectTo)).toBe(302);
      expect(destination(response).origin, JSON.stringify(redirectTo)).toBe(server.url);
    }
  });
});

/**
 * A raw request, so that the body can be declared without being sent and sent in pieces. Resolves
 * with the answer (and how much of the body had been written when it came), whether or not the
 * server read the rest.
 */
function rawPost(
  pathname: string,
  options: {
    headers?: Record<string, string>;
    declaredLength?: number;
    /** Chunks written one by one until the answer arrives. */
    chunks?: { size: number; max: number };
  },
) {
  const { port } = new URL(server.url);
  return new Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
    written: number;
  }>((resolve, reject) => {
    let written = 0;
    let answered = false;
    const request = http.request({
      host: "localhost",
      port,
      path: pathname,
      method: "POST",
      headers: {
        origin: server.url,
        cookie: client.cookie,
        "content-type": "application/x-www-form-urlencoded",
        ...(options.declaredLength !== undefined
          ? { "content-length": String(options.declaredLength) }
          : { "transfer-encoding": "chunked" }),
        ...options.headers,
      },
    });
    request.on("response", (response) => {
      answered = true;
      const writtenAtAnswer = written;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        request.destroy();
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          body,
          written: writtenAtAnswer,
        });
      });
      response.on("error", reject);
    });
    // The server closes the connection while we still send: expected, once answered.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    request.flushHeaders();
    if (options.chunks) {
      const { size, max } = options.chunks;
      const piece = Buffer.from("text=" + "あ".repeat(Math.ceil(size / 3)));
      const pump = () => {
        if (answered || request.destroyed) return;
        if (written >= max) return request.end();
        written += piece.length;
        // Paced, as a real upload is: loopback would otherwise take megabytes into socket
        // buffers at once, which says nothing about what the server read.
        if (request.write(piece)) setTimeout(pump, 10);
        else request.once("drain", () => setTimeout(pump, 10));
      };
      pump();
    }
  });
}

describe("request bodies", () => {
  it("a declared 400 MB login is refused before any of it is read", async () => {
    const started = Date.now();
    const answer = await rawPost("/login", { declaredLength: 400 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toContain("大きすぎます");
    // Nothing was sent, so only a server that did not wait for the body can answer.
    expect(answer.written).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a chunked body on /code is cut off at the limit", async () => {
    const answer = await rawPost("/code", { chunks: { size: 16 * 1024, max: 50 * 1024 * 1024 } });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("8 KB");
    // Answered long before the 50 MB were sent: within a few pieces of the 8 KB limit.
    // (16–32 KB on an idle machine; the margin is for a loaded one.)
    expect(answer.written).toBeLessThan(2 * 1024 * 1024);
  });

  it("a refused 10 MB transcription is not sent back", async () => {
    const before = await countRows("transcription");
    const text = "あ".repeat((10 * 1024 * 1024) / 9);
    const body = new URLSearchParams({
      intent: "save",
      pageId: String(pageId),
      baseVersion: "0",
      baseHash: "0".repeat(64),
      mode: "text",
      text,
    }).toString();
    const answer = await rawPost(`/review/pages/${pageId}`, {
      declaredLength: Buffer.byteLength(body),
    });
    expect(answer.status).toBe(413);
    expect(answer.body.length).toBeLessThan(1000);
    expect(answer.body).toContain("1 MB");
    expect(await countRows("transcription")).toBe(before);
  });

  it("a staff form of a few hundred kilobytes still reaches its route", async () => {
    // The editor's longest transcription is 20 000 characters: up to ~240 kB as a form.
    const response = await fetch(`${server.url}/review/pages/${pageId}`, {
      method: "POST",
      headers: {
        cookie: client.cookie,
        origin: server.url,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        intent: "save",
        pageId: String(pageId),
        baseVersion: "0",
        baseHash: "0".repeat(64),
        mode: "text",
        text: "𠮷".repeat(20_000),
      }),
      redirect: "manual",
    });
    // The route answers (the base is not the page's): the limit let it through.
    expect(response.status).not.toBe(413);
    expect(response.status).toBeLessThan(500);
  });

  it("an upload over the photo limit is refused as an upload outcome", async () => {
    const answer = await rawPost(`/scan/${group.groupId}/upload`, {
      declaredLength: MAX_UPLOAD_BYTES + 1024 * 1024,
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "error", key: "upload.tooLarge" });
  });
});

describe("uploads", () => {
  function crc32(bytes: Buffer) {
    let crc = ~0;
    for (const byte of bytes) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    return ~crc >>> 0;
  }

  it("a PNG whose image data fails its checksum is refused, nothing stored", async () => {
    const png = await sharp({
      create: { width: 400, height: 300, channels: 3, background: "#f4f1ea" },
    })
      .png()
      .toBuffer();
    // Find the IDAT chunk and spoil its CRC.
    let offset = 8;
    while (png.toString("ascii", offset + 4, offset + 8) !== "IDAT")
      offset += 12 + png.readUInt32BE(offset);
    const length = png.readUInt32BE(offset);
    const crcAt = offset + 8 + length;
    expect(png.readUInt32BE(crcAt)).toBe(crc32(png.subarray(offset + 4, crcAt)));
    const bad = Buffer.from(png);
    bad.writeUInt32BE((png.readUInt32BE(crcAt) ^ 0xff) >>> 0, crcAt);

    const before = await countRows("page");
    const response = await client.upload(`/scan/${group.groupId}/upload`, [
      { name: "page.png", bytes: bad, type: "image/png" },
    ]);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ status: "error", key: "upload.broken" });
    expect(await countRows("page")).toBe(before);
  });

  it("file names with ; and = are accepted as they are", async () => {
    const photo = await sharp(fixture("ocr", "horizontal.jpg")).rotate(180).jpeg().toBuffer();
    const names = ["写真;1.jpg", "a=b; filename=c.jpg", 'say "cheese".jpg'];
    for (const [i, name] of names.entries()) {
      const bytes = await sharp(photo)
        .modulate({ brightness: 1 + i / 50 })
        .jpeg()
        .toBuffer();
      const response = await client.upload(`/scan/${group.groupId}/upload`, [{ name, bytes }]);
      expect(response.status, name).toBe(201);
      expect(await response.json()).toMatchObject({ status: "added", name });
    }
  });
});

describe("control characters", () => {
  const forbidden = {
    NUL: "\u0000",
    BEL: "\u0007",
    ESC: "\u001b",
    "U+202E": "\u202e",
    "line feed": "\n",
    tab: "\t",
  };

  it("are refused in every one-line field with one message, nothing stored", async () => {
    for (const [label, ch] of Object.entries(forbidden)) {
      const before = await countRows("cohort");
      const response = await client.post("/cohorts?index", {
        name: `2030${ch}年度`,
        startsOn: "2030-04-01",
        endsOn: "2031-03-31",
      });
      expect(response.status, label).toBe(400);
      expect(await response.text()).toContain("使えない文字");
      expect(await countRows("cohort")).toBe(before);
    }
    // The same rule in another model's form.
    const response = await client.post("/resources/new", {
      name: "公民館\u202e港",
      category: "place",
      status: "active",
      visibility: "staff",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("使えない文字");
  });

  it("a multi-line field keeps its line breaks and refuses the rest", async () => {
    const fields = {
      name: "ふれあい公民館",
      category: "place",
      status: "active",
      visibility: "staff",
    };
    for (const ch of ["\u0000", "\u202e", "\u001b"]) {
      const response = await client.post("/resources/new", {
        ...fields,
        description: `一行目${ch}\n二行目`,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("使えない文字");
    }
    const response = await client.post("/resources/new", {
      ...fields,
      description: "一行目\r\n二行目",
    });
    expect(response.status).toBe(302);
    const id = Number(/\/resources\/(\d+)/.exec(response.headers.get("location")!)![1]);
    const row = await getDb()
      .selectFrom("resource")
      .select("description")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.description).toMatch(/^一行目\r?\n二行目$/);
  });

  it("a transcription with a bidi override is refused", async () => {
    const before = await countRows("transcription");
    const response = await client.post(`/review/pages/${pageId}`, {
      intent: "save",
      pageId: String(pageId),
      baseVersion: "0",
      baseHash: "0".repeat(64),
      mode: "text",
      text: "きょうは\u202eいい天気",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("使えない文字");
    expect(await countRows("transcription")).toBe(before);
  });
});

describe("headers, cookies and origins (held before, kept by these tests)", () => {
  it("a CSP with a fresh nonce that the page's scripts carry", async () => {
    const first = await fetch(`${server.url}/login`);
    const second = await fetch(`${server.url}/login`);
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toMatch(/object-src 'none'/);
  });

  it("no framing: frame-ancestors 'none'", async () => {
    const response = await fetch(`${server.url}/login`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("the session cookie is HttpOnly and SameSite=Lax (not Secure over plain HTTP in test mode)", async () => {
    const response = await new Client(server.url).loginStaff(staff.login, staff.password);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it("in production the session cookie is Secure", async () => {
    const production = await startServer({
      databasePath: process.env.DATABASE_PATH!,
      env: {
        NODE_ENV: "production",
        SESSION_SECRET: "a-test-secret-that-is-long-enough-0123456789",
        UPLOADS_DIR: process.env.UPLOADS_DIR!,
      },
    });
    try {
      const response = await new Client(production.url).loginStaff(staff.login, staff.password);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__session="))!;
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    } finally {
      await production.stop();
    }
  });

  it("a cross-origin POST is refused and changes nothing", async () => {
    const before = await countRows("cohort");
    const fields = { name: "よそから", startsOn: "2030-04-01", endsOn: "2031-03-31" };
    const fromElsewhere = await client.post("/cohorts?index", fields, {
      origin: "https://evil.example",
    });
    expect(fromElsewhere.status).toBe(403);
    const crossSite = await fetch(`${server.url}/cohorts?index`, {
      method: "POST",
      headers: {
        cookie: client.cookie,
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
    expect(crossSite.status).toBe(403);
    expect(await countRows("cohort")).toBe(before);
  });

  it("a POST with neither Origin nor Sec-Fetch-Site is accepted (decision 031)", async () => {
    const before = await countRows("cohort");
    const response = await client.post(
      "/cohorts?index",
      { name: "スクリプトから", startsOn: "2030-04-01", endsOn: "2031-03-31" },
      { origin: null },
    );
    expect(response.status).toBe(302);
    expect(await countRows("cohort")).toBe(before + 1);
  });
});
