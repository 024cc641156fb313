/**
 * npm run bench:web [-- --duration 60 --users 20 --staff-users 10 --think 1000 --warmup 5
 *                      --db FILE --keep --postgres]
 *
 * The web app under load. Generates a large, realistic data set (test/bench/web-data.ts: 300
 * groups, 50 000 pages with their versions, 5 000 seeds, 2 000 resources, 1 000 participants…)
 * into a fresh SQLite file, starts the real server on it (production mode, OCR runner off) and
 * runs simulated users against it on loopback for a bounded time:
 *
 * - staff (default 10) browse the dashboard, the review queue (sometimes filtered by group or on
 *   page 2), the review editor of a random page (mostly waiting ones) and its photo, the seed
 *   queue, the resource list (sometimes a search), the map and its points, a CSV export, the
 *   groups and a group, the participants and a participant;
 * - participants (the rest, default 10) open their group's diary (sometimes its second page), the
 *   thumbnails a phone shows first (4) and now and then a full photo.
 *
 * Every user logs in once over HTTP like a browser (staff: /login with their own account;
 * participants: /code with their own access code — successful logins are not throttled), keeps
 * its own session cookie and then waits a think time between actions: a random time between 0
 * and 2 × `--think` ms (default 1 000 ms, so a mean of one second; `--think 0` sends the next
 * request as soon as the last one finished, which measures a saturated server). Pages are
 * requested as documents (full HTML: root and route loaders plus server rendering), as a
 * browser does on a link or reload. Every answer is checked (status 200, content type, HTML
 * complete, a page of the right kind); anything else counts as an error of its kind.
 *
 * Prints, per kind of request and overall: count, throughput, p50/p95/p99/max and errors; and
 * the peak resident memory of the server (VmHWM). `--db FILE` reuses a data set from an earlier
 * run with `--keep` (its uploads folder beside it) instead of generating one.
 *
 * Also settable by environment: BENCH_WEB_DURATION, BENCH_WEB_USERS, BENCH_WEB_THINK_MS.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { postgresCopyOf } from "../helpers/postgres";
import { Client, startServer } from "../helpers/server";
import { DEFAULT_WEB_DATA, generateWebData, type WebData } from "./web-data";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const num = (name: string, env: string | undefined, fallback: number) => {
  const n = Number(flag(name) ?? env);
  return Number.isFinite(n) && n >= 0 && (flag(name) ?? env) !== undefined ? n : fallback;
};
const DURATION_S = num("duration", process.env.BENCH_WEB_DURATION, 60);
const USERS = Math.max(1, Math.round(num("users", process.env.BENCH_WEB_USERS, 20)));
const STAFF_USERS = Math.min(USERS, Math.round(num("staff-users", undefined, USERS / 2)));
const THINK_MS = num("think", process.env.BENCH_WEB_THINK_MS, 1000);
const WARMUP_S = num("warmup", undefined, 5);
const REUSE = flag("db");

interface Sample {
  kind: string;
  ms: number;
  error: string | null;
}

const samples: Sample[] = [];
let recording = false;
let stopAt = 0;

class CheckError extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckError(message);
}

/** One timed GET; the body is read in full, checked, and returned. */
async function timed(
  client: Client,
  kind: string,
  pathname: string,
  expect: { type: "html" | "image" | "json" | "csv"; verify?: (body: string) => boolean },
): Promise<string | null> {
  const t = performance.now();
  let error: string | null = null;
  let text: string | null = null;
  try {
    const response = await client.get(pathname);
    const bytes = Buffer.from(await response.arrayBuffer());
    const ms = performance.now() - t;
    const type = response.headers.get("content-type") ?? "";
    try {
      check(
        response.status === 200,
        `HTTP ${response.status} ${response.headers.get("location") ?? ""}`,
      );
      if (expect.type === "image")
        check(type.startsWith("image/jpeg") && bytes.length > 1000, `type ${type}`);
      else {
        text = bytes.toString("utf8");
        if (expect.type === "html")
          check(
            type.startsWith("text/html") && text.includes("</html>"),
            `not a whole page (${type})`,
          );
        if (expect.type === "json")
          check(type.startsWith("application/json") && text.startsWith("["), `type ${type}`);
        if (expect.type === "csv")
          check(type.startsWith("text/csv") && text.split("\n").length > 100, `type ${type}`);
        if (expect.verify) check(expect.verify(text), "unexpected content");
      }
    } catch (e) {
      error = `${pathname}: ${(e as Error).message}`;
    }
    if (recording) samples.push({ kind, ms, error });
  } catch (e) {
    const cause = (e as Error).cause as Error | undefined;
    error = `${pathname}: ${(e as Error).message}${cause ? ` (${cause.message})` : ""}`;
    if (recording) samples.push({ kind, ms: performance.now() - t, error });
  }
  return error ? null : text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic per user, so two runs make the same choices. */
function randomFor(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(random: () => number, choices: Array<[number, T]>): T {
  const total = choices.reduce((s, [w]) => s + w, 0);
  let x = random() * total;
  for (const [w, value] of choices) if ((x -= w) < 0) return value;
  return choices.at(-1)![1];
}

type Action = (client: Client, random: () => number) => Promise<unknown>;

function staffActions(data: WebData): Array<[number, Action]> {
  const pickOf = <T>(xs: readonly T[], random: () => number) =>
    xs[Math.floor(random() * xs.length)]!;
  const html = { type: "html" as const };
  return [
    [
      10,
      (c) =>
        timed(c, "dashboard /", "/", {
          type: "html",
          verify: (b) => b.includes('data-testid="dashboard-review"'),
        }),
    ],
    [
      15,
      (c, r) => {
        const x = r();
        const query = x < 0.6 ? "" : x < 0.85 ? `?group=${pickOf(data.groupIds, r)}` : "?page=2";
        return timed(c, "review queue /review", `/review${query}`, html);
      },
    ],
    [
      20,
      async (c, r) => {
        const id = r() < 0.7 ? pickOf(data.waitingPageIds, r) : pickOf(data.pageIds, r);
        const body = await timed(c, "review editor /review/pages/:id", `/review/pages/${id}`, {
          type: "html",
          verify: (b) => b.includes(`/pages/${id}/image`),
        });
        if (body)
          await timed(c, "staff photo /pages/:id/image", `/pages/${id}/image?size=crop`, {
            type: "image",
          });
      },
    ],
    [
      8,
      (c, r) => {
        const x = r();
        const query = x < 0.6 ? "" : x < 0.8 ? "?status=accepted" : "?category=activity";
        return timed(c, "seed queue /seeds", `/seeds${query}`, html);
      },
    ],
    [
      6,
      (c, r) => {
        const x = r();
        const query = x < 0.6 ? "" : x < 0.8 ? `?q=${encodeURIComponent("かふぇ")}` : "?page=3";
        return timed(c, "resources /resources", `/resources${query}`, html);
      },
    ],
    [
      4,
      async (c) => {
        const body = await timed(c, "resource map /resources/map", "/resources/map", html);
        if (body)
          await timed(c, "map points /resources/map/points", "/resources/map/points", {
            type: "json",
          });
      },
    ],
    [1, (c) => timed(c, "resource export CSV", "/resources/export/csv", { type: "csv" })],
    [5, (c) => timed(c, "groups /groups", "/groups", html)],
    [6, (c, r) => timed(c, "group /groups/:id", `/groups/${pickOf(data.groupIds, r)}`, html)],
    [4, (c) => timed(c, "participants /participants", "/participants", html)],
    [
      4,
      (c, r) =>
        timed(
          c,
          "participant /participants/:id",
          `/participants/${pickOf(data.participantIds, r)}`,
          html,
        ),
    ],
  ];
}

function participantActions(groupId: number): Array<[number, Action]> {
  return [
    [
      10,
      async (c, r) => {
        const older = r() < 0.2;
        const body = await timed(c, "diary /g/:id", `/g/${groupId}${older ? "?p=2" : ""}`, {
          type: "html",
          verify: (b) => b.includes(`/g/${groupId}/pages/`),
        });
        if (!body) return;
        const ids = [
          ...body.matchAll(new RegExp(`/g/${groupId}/pages/(\\d+)/image\\?size=thumb`, "g")),
        ].map((m) => m[1]!);
        // The thumbnails a phone loads first (they are lazy), then sometimes one photo.
        for (const id of ids.slice(0, 4))
          await timed(c, "diary thumbnail", `/g/${groupId}/pages/${id}/image?size=thumb`, {
            type: "image",
          });
        if (ids.length > 0 && r() < 0.4)
          await timed(
            c,
            "diary photo",
            `/g/${groupId}/pages/${ids[Math.floor(r() * ids.length)]}/image`,
            {
              type: "image",
            },
          );
      },
    ],
  ];
}

async function runUser(client: Client, actions: Array<[number, Action]>, seed: number) {
  const random = randomFor(seed);
  while (Date.now() < stopAt) {
    await weighted(random, actions)(client, random);
    if (THINK_MS > 0) await sleep(random() * 2 * THINK_MS);
  }
}

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function report(durationS: number) {
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  const rows = [
    ...kinds.map((k) => [k, samples.filter((s) => s.kind === k)] as const),
    ["all", samples] as const,
  ];
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `\n${"request".padEnd(36)} ${"count".padStart(6)} ${"req/s".padStart(7)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"p99".padStart(7)} ${"max".padStart(7)}  errors (ms)`,
  );
  for (const [kind, list] of rows) {
    const ms = list.map((s) => s.ms).sort((a, b) => a - b);
    const errors = list.filter((s) => s.error).length;
    const p95 = quantile(ms, 0.95);
    console.log(
      `${(kind === "all" ? "ALL" : kind).padEnd(36)} ${String(list.length).padStart(6)} ${fmt(list.length / durationS)} ${fmt(quantile(ms, 0.5))} ${fmt(p95)} ${fmt(quantile(ms, 0.99))} ${fmt(ms.at(-1) ?? NaN)}  ${errors}${p95 >= 100 ? "  ← p95 ≥ 100 ms" : ""}`,
    );
  }
  const errors = samples.filter((s) => s.error);
  for (const e of errors.slice(0, 10)) console.log(`error: ${e.kind}: ${e.error}`);
  return errors.length;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; 100 ticks a second). */
function cpuSecondsOf(pid: number) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return { peakMb: NaN, rssMb: NaN };
  }
}

const dir = REUSE
  ? path.dirname(path.resolve(REUSE))
  : fs.mkdtempSync(path.join(os.tmpdir(), "web-bench-"));
const file = REUSE ? path.resolve(REUSE) : path.join(dir, "bench-web.db");
const uploads = path.join(dir, "uploads");
const dataFile = `${file}.json`;
let data: WebData;
if (REUSE) {
  data = JSON.parse(fs.readFileSync(dataFile, "utf8")) as WebData;
  console.log(`reusing ${file}`);
} else {
  const t0 = performance.now();
  data = await generateWebData(file, uploads, DEFAULT_WEB_DATA);
  fs.writeFileSync(dataFile, JSON.stringify(data));
  console.log(
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB:`,
  );
  console.log(
    Object.entries(data.counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(", "),
  );
}

// --postgres: the same data set copied into a throw-away PostgreSQL cluster (npm run db:copy's
// code), and the server run on it (issue 16).
const copy = args.includes("--postgres") ? await postgresCopyOf(file) : null;
const cluster = copy?.cluster ?? null;
const databaseUrl = copy?.env ?? {};

const server = await startServer({
  databasePath: file,
  env: {
    NODE_ENV: "production",
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    UPLOADS_DIR: uploads,
    OCR_RUNNER: "off",
    ...databaseUrl,
  },
});
console.log(`database: ${cluster ? "PostgreSQL" : "SQLite"}`);
let failed = false;
try {
  // Log every user in once, four at a time (each login is one scrypt verification).
  const staffActionList = staffActions(data);
  const users: Array<{ client: Client; actions: Array<[number, Action]> }> = [];
  const logins: Array<() => Promise<void>> = [];
  for (let u = 0; u < USERS; u++) {
    const client = new Client(server.url);
    if (u < STAFF_USERS) {
      const login = data.staffLogins[u % data.staffLogins.length]!;
      logins.push(() => client.loginStaff(login, data.staffPassword).then(() => undefined));
      users.push({ client, actions: staffActionList });
    } else {
      const who = data.participantCodes[((u - STAFF_USERS) * 37) % data.participantCodes.length]!;
      logins.push(() => client.loginParticipant(who.code).then(() => undefined));
      users.push({ client, actions: participantActions(who.groupId) });
    }
  }
  const t0 = performance.now();
  for (let i = 0; i < logins.length; i += 4)
    await Promise.all(logins.slice(i, i + 4).map((f) => f()));
  console.log(
    `${USERS} users logged in (${STAFF_USERS} staff, ${USERS - STAFF_USERS} participants) in ${((performance.now() - t0) / 1000).toFixed(1)} s; think time ${THINK_MS > 0 ? `0–${2 * THINK_MS} ms (mean ${THINK_MS} ms)` : "none"}`,
  );

  // Warm-up (statements compiled, caches filled), then the measured run.
  stopAt = Date.now() + WARMUP_S * 1000;
  await Promise.all(users.map((u, i) => runUser(u.client, u.actions, 1000 + i)));
  recording = true;
  const cpuBefore = cpuSecondsOf(server.process.pid!);
  // Resident memory while users browse (the peak since start also holds the logins: scrypt
  // takes 128 MB for each verification under way).
  let runPeakMb = 0;
  const rssTimer = setInterval(() => {
    runPeakMb = Math.max(runPeakMb, memoryOf(server.process.pid!).rssMb);
  }, 250);
  const loadBefore = os.loadavg()[0]!;
  const start = performance.now();
  stopAt = Date.now() + DURATION_S * 1000;
  await Promise.all(users.map((u, i) => runUser(u.client, u.actions, i + 1)));
  recording = false;
  clearInterval(rssTimer);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuSecondsOf(server.process.pid!) - cpuBefore;
  const errors = report(elapsed);
  const memory = memoryOf(server.process.pid!);
  console.log(
    `\n${elapsed.toFixed(1)} s, ${USERS} users; server RSS at most ${runPeakMb.toFixed(0)} MB while measured (peak since start ${memory.peakMb.toFixed(0)} MB, with the logins); ${errors} errors`,
  );
  // The machine may be shared: the server's own CPU time per request is the steadier figure.
  console.log(
    `server CPU ${cpu.toFixed(1)} s (${((100 * cpu) / elapsed).toFixed(0)} % of one core), ${((1000 * cpu) / Math.max(1, samples.length)).toFixed(1)} ms per request; load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
  );
  failed = errors > 0;
} finally {
  await server.stop();
  cluster?.stop();
  if (args.includes("--keep") || REUSE) console.log(`database kept: ${file}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
