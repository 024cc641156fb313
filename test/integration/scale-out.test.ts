/**
 * Scaling out on PostgreSQL (issue 16): two app servers and three OCR worker processes share one
 * database and one uploads folder. Sixty pages are uploaded through both servers at once; each
 * is read by OCR exactly once, none is lost, and a session made on one server is valid on the
 * other. Runs in the PostgreSQL pass of the suite (`npm run test:postgres`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";
import { ON_POSTGRES, ROOT } from "../helpers/paths";
import { Client, startServer, type RunningServer } from "../helpers/server";

const PAGES = 60;
const servers: RunningServer[] = [];
const workers: ChildProcess[] = [];
const env = { SESSION_SECRET: "scale-out-test-secret-scale-out-test-0123" };

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGTERM");
  await Promise.all(servers.map((s) => s.stop()));
});

describe.runIf(ON_POSTGRES)("two app servers and three workers on one PostgreSQL", () => {
  it("OCR each of 60 pages exactly once and share sessions", { timeout: 420_000 }, async () => {
    const staff = await makeStaff();
    const { groupId } = await makeActiveGroup();
    for (let i = 0; i < 2; i++)
      servers.push(
        await startServer({
          databasePath: process.env.DATABASE_PATH!,
          env: { ...env, UPLOADS_DIR: process.env.UPLOADS_DIR! },
        }),
      );
    for (let i = 0; i < 3; i++)
      workers.push(
        spawn(process.execPath, ["--import", "tsx", "app/worker.ts"], {
          cwd: ROOT,
          env: { ...process.env, OCR_WORKERS: "1", OCR_LEASE_MS: "20000" },
          stdio: "ignore",
        }),
      );

    // Logged in on the first server; the same cookie is a session on the second.
    const first = new Client(servers[0]!.url);
    await first.loginStaff(staff.login, staff.password);
    const second = new Client(servers[1]!.url);
    second.cookie = first.cookie;
    expect((await second.get("/scan")).status).toBe(200);
    expect((await new Client(servers[1]!.url).get("/scan")).status).toBe(302);

    const base = await sharp(fixture("ocr", "horizontal.jpg")).resize(900).jpeg().toBuffer();
    const photos = await Promise.all(
      Array.from({ length: PAGES }, (_, i) =>
        sharp(base)
          .modulate({ brightness: 0.8 + i * 0.006 })
          .jpeg({ quality: 90 })
          .toBuffer(),
      ),
    );
    const queue = { next: 0 };
    const ids: number[] = [];
    const lane = async (client: Client) => {
      while (queue.next < photos.length) {
        const i = queue.next++;
        const response = await client.upload(`/scan/${groupId}/upload`, [
          { name: `p${i}.jpg`, bytes: photos[i]! },
        ]);
        expect(response.status).toBe(201);
        ids.push(((await response.json()) as { pageId: number }).pageId);
      }
    };
    await Promise.all([lane(first), lane(second), lane(first), lane(second)]);
    expect(new Set(ids).size).toBe(PAGES);

    const db = getDb();
    const end = Date.now() + 360_000;
    for (;;) {
      const waiting = await db
        .selectFrom("page")
        .select("id")
        .where("group_id", "=", groupId)
        .where("status", "!=", "needs_review")
        .execute();
      if (!waiting.length) break;
      if (Date.now() > end) throw new Error(`${waiting.length} pages not read in time`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const jobs = await db
      .selectFrom("ocr_job")
      .select(["page_id", "state", "attempts"])
      .where("page_id", "in", ids)
      .execute();
    const drafts = await db
      .selectFrom("transcription")
      .select(["page_id", "source", "version"])
      .where("page_id", "in", ids)
      .execute();
    for (const id of ids) {
      expect(jobs.filter((j) => j.page_id === id)).toEqual([
        { page_id: id, state: "done", attempts: 1 },
      ]);
      expect(drafts.filter((d) => d.page_id === id)).toEqual([
        { page_id: id, source: "ocr", version: 1 },
      ]);
    }
  });
});
