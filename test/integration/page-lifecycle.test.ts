/**
 * The page lifecycle on the real database: every transition of the table refused from every
 * status it may not start from (with nothing written), the legal ones leading where the table
 * says, and the races the old code lost — a flag raised by another writer while a delete was on
 * its way, a reviewer's save landing while a rotation was on its way, and a lease that expired
 * leaving its page at "ocr".
 *
 * The races use a second SQLite connection in a worker thread (as the OCR worker process would
 * be): it holds the write lock with its change uncommitted while the station's action runs, and
 * commits a moment later.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import sharp from "sharp";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import type { PageStatus } from "../../db/schema";
import {
  PAGE_TRANSITIONS,
  approvePage,
  claimNextJob,
  completeOcr,
  deletePage as deleteInLifecycle,
  failOcr,
  reopenPage,
  requeueExpiredJobs,
  requeuePage,
  saveTranscription,
  type PageTransition,
} from "~/models/page-lifecycle.server";
import { addPage, deletePage, rotatePage } from "~/models/pages.server";
import { getEditBase } from "~/models/transcriptions.server";
import { getDb, TRANSACTION_LOCK } from "~/utils/db.server";
import { DomainError } from "~/utils/forms.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";

const STATUSES: PageStatus[] = ["queued", "ocr", "needs_review", "approved", "ocr_failed"];

type Staff = Awaited<ReturnType<typeof makeStaff>>;
let staff: Staff;
let groupId: number;
let photoCount = 0;

beforeAll(async () => {
  staff = await makeStaff();
  groupId = (await makeActiveGroup()).groupId;
});

/** A fresh page of a real photo (sharp), as the station adds it: queued, with its OCR job. */
async function newPage() {
  const n = ++photoCount;
  const bytes = await sharp({
    create: { width: 600, height: 800, channels: 3, background: { r: 250, g: 248, b: 240 } },
  })
    .composite([
      {
        input: Buffer.from(
          `<svg width="600" height="800"><rect x="${40 + n}" y="100" width="300" height="8"/></svg>`,
        ),
      },
    ])
    .jpeg()
    .toBuffer();
  const added = await addPage(groupId, bytes, { actor: staff.actor });
  if (added.status !== "added") throw new Error("not added");
  return added.pageId;
}

const db = () => getDb();

/** Puts the page into `status` the way the app would have got it there (a draft when needed). */
async function pageIn(status: PageStatus) {
  const id = await newPage();
  const owner = "test-runner";
  if (status === "queued") return id;
  // Claim this page's job (others may be queued before it: take them out of the way first).
  await db()
    .updateTable("ocr_job")
    .set({ state: "cancelled" })
    .where("state", "=", "queued")
    .where("page_id", "!=", id)
    .execute();
  const job = await claimNextJob(db(), owner, 60_000);
  expect(job?.page_id).toBe(id);
  if (status === "ocr") return id;
  if (status === "ocr_failed") {
    await failOcr(db(), { id: job!.id, pageId: id, owner, attempts: 3 }, "テストの失敗", {
      maxAttempts: 3,
      backoffMs: 0,
    });
    return id;
  }
  await completeOcr(
    db(),
    { id: job!.id, pageId: id, owner },
    {
      text: "きょうは晴れ",
      lines: [{ text: "きょうは晴れ", confidence: 90, bbox: null, unsure: [] }],
      confidence: 90,
      layout: "horizontal",
      timings: {},
    },
    null,
  );
  if (status === "needs_review") return id;
  await approvePage(id, await getEditBase(id), null, { actor: staff.actor });
  return id;
}

/** Everything a transition could write, to compare before and after a refusal. */
async function snapshot(pageId: number) {
  const [page, versions, jobs, flags, audit] = await Promise.all([
    db().selectFrom("page").selectAll().where("id", "=", pageId).executeTakeFirst(),
    db().selectFrom("transcription").selectAll().where("page_id", "=", pageId).execute(),
    db().selectFrom("ocr_job").selectAll().where("page_id", "=", pageId).execute(),
    db().selectFrom("watch_flag").selectAll().where("page_id", "=", pageId).execute(),
    db()
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { page, versions, jobs, flags, audit: Number(audit.n) };
}

/** Runs one transition on the page with what it needs; the OCR ones as the job's lease holder. */
async function run(name: PageTransition, pageId: number) {
  const by = { actor: staff.actor };
  const owner = "lease-holder";
  const leased = async () => {
    // The transition is judged by the page's status: give it a job this runner holds (its
    // unfinished job if it has one — a page has at most one — or a new one).
    const open = await db()
      .selectFrom("ocr_job")
      .select("id")
      .where("page_id", "=", pageId)
      .where("state", "in", ["queued", "running"])
      .executeTakeFirst();
    const id = open
      ? open.id
      : (
          await db()
            .insertInto("ocr_job")
            .values({ page_id: pageId })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
    await db()
      .updateTable("ocr_job")
      .set({ state: "running", lease_owner: owner, attempts: 1 })
      .where("id", "=", id)
      .execute();
    return { id, pageId, owner, attempts: 1 };
  };
  switch (name) {
    case "requeue":
      return requeuePage(groupId, pageId, { kind: "rerun" }, by);
    case "delete":
      return deleteInLifecycle(groupId, pageId, by);
    case "save":
      return saveTranscription(pageId, await getEditBase(pageId), [{ text: "直し", src: [0] }], by);
    case "approve":
      // As the editor sends it: the lines on screen, saved first if they differ.
      return approvePage(pageId, await getEditBase(pageId), [{ text: "本文", src: [] }], by);
    case "reopen":
      return reopenPage(pageId, by);
    case "ocrDone":
      return completeOcr(
        db(),
        await leased(),
        { text: "x", lines: [], confidence: 1, layout: "horizontal", timings: {} },
        null,
      );
    case "ocrRetry":
    case "ocrFailed": {
      const job = await leased();
      return failOcr(db(), { ...job, attempts: name === "ocrFailed" ? 3 : 1 }, "失敗", {
        maxAttempts: 3,
        backoffMs: 0,
      });
    }
    case "claim":
    case "leaseExpired":
      throw new Error("driven through the queue, see below");
  }
}

describe("the transition table", () => {
  const walked = Object.keys(PAGE_TRANSITIONS).filter(
    (t) => t !== "claim" && t !== "leaseExpired",
  ) as PageTransition[];

  for (const name of walked) {
    const from = PAGE_TRANSITIONS[name].from as readonly PageStatus[];
    for (const status of STATUSES.filter((s) => !from.includes(s))) {
      it(`refuses ${name} from ${status}, writing nothing`, async () => {
        const pageId = await pageIn(status);
        // The OCR transitions need a leased job: that setup is not part of the refusal.
        const isOcr = name === "ocrDone" || name === "ocrRetry" || name === "ocrFailed";
        const before = isOcr ? null : await snapshot(pageId);
        let refused: unknown;
        try {
          if (isOcr) {
            const beforeOcr = await snapshot(pageId);
            await run(name, pageId).catch((e: unknown) => {
              refused = e;
            });
            const after = await snapshot(pageId);
            // Only the job set up for the attempt differs: it is still running, untouched.
            expect(after.page).toEqual(beforeOcr.page);
            expect(after.versions).toEqual(beforeOcr.versions);
            expect(after.flags).toEqual(beforeOcr.flags);
            expect(after.audit).toBe(beforeOcr.audit);
            expect(after.jobs.filter((j) => j.lease_owner === "lease-holder")[0]).toMatchObject({
              state: "running",
            });
          } else {
            await run(name, pageId);
          }
        } catch (error) {
          refused = error;
        }
        expect(refused).toBeInstanceOf(DomainError);
        if (before) expect(await snapshot(pageId)).toEqual(before);
      });
    }
    for (const status of from) {
      it(`allows ${name} from ${status}, leading to ${PAGE_TRANSITIONS[name].to ?? "no page"}`, async () => {
        const pageId = await pageIn(status);
        await run(name, pageId);
        const page = await db()
          .selectFrom("page")
          .select("status")
          .where("id", "=", pageId)
          .executeTakeFirst();
        expect(page?.status ?? null).toBe(PAGE_TRANSITIONS[name].to);
      });
    }
  }

  it("claims a job and moves its page to ocr together; a job of a page in review is cancelled, not run", async () => {
    const waiting = await pageIn("queued");
    await db()
      .updateTable("ocr_job")
      .set({ state: "cancelled" })
      .where("state", "=", "queued")
      .where("page_id", "!=", waiting)
      .execute();
    const job = await claimNextJob(db(), "runner-a", 60_000);
    expect(job?.page_id).toBe(waiting);
    expect((await snapshot(waiting)).page?.status).toBe("ocr");

    const reviewed = await pageIn("needs_review");
    const before = await snapshot(reviewed);
    await db().insertInto("ocr_job").values({ page_id: reviewed }).execute();
    expect(await claimNextJob(db(), "runner-a", 60_000)).toBeUndefined();
    const after = await snapshot(reviewed);
    expect(after.page).toEqual(before.page);
    expect(after.versions).toEqual(before.versions);
    expect(after.jobs.at(-1)?.state).toBe("cancelled");
  });
});

describe("leases", () => {
  it("puts a job whose lease expired back in the queue with its page queued, not ocr", async () => {
    const pageId = await pageIn("ocr");
    await db()
      .updateTable("ocr_job")
      .set({ lease_until: new Date(Date.now() - 1000).toISOString() })
      .where("page_id", "=", pageId)
      .where("state", "=", "running")
      .execute();
    expect(await requeueExpiredJobs(db())).toBeGreaterThanOrEqual(1);
    const { page, jobs } = await snapshot(pageId);
    expect(page?.status).toBe("queued");
    expect(jobs.at(-1)).toMatchObject({ state: "queued", lease_owner: null });
    // The next claim takes it again, and the page is read again.
    await db()
      .updateTable("ocr_job")
      .set({ state: "cancelled" })
      .where("state", "=", "queued")
      .where("page_id", "!=", pageId)
      .execute();
    expect((await claimNextJob(db(), "runner-b", 60_000))?.page_id).toBe(pageId);
  });
});

/**
 * Another connection takes the write lock, writes `sql` and commits after `holdMs`. Resolves
 * once it holds the lock (its change not yet visible), with a promise for its commit.
 */
function otherWriter(sqlStatements: string[], holdMs = 400) {
  return process.env.DATABASE_URL
    ? otherPostgresWriter(sqlStatements, holdMs)
    : otherSqliteWriter(sqlStatements, holdMs);
}

/** On PostgreSQL the other writer is another connection taking the transactions' advisory lock. */
async function otherPostgresWriter(sqlStatements: string[], holdMs: number) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("begin");
  await client.query(`select pg_advisory_xact_lock(${TRANSACTION_LOCK})`);
  for (const s of sqlStatements) await client.query(s);
  const committed = new Promise<void>((done) =>
    setTimeout(() => {
      void client
        .query("commit")
        .then(() => client.end())
        .then(() => done());
    }, holdMs),
  );
  return { committed };
}

function otherSqliteWriter(sqlStatements: string[], holdMs: number) {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require("node:worker_threads");
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    db.exec("begin immediate");
    for (const s of workerData.statements) db.exec(s);
    parentPort.postMessage("locked");
    setTimeout(() => { db.exec("commit"); db.close(); parentPort.postMessage("committed"); }, workerData.holdMs);
    `,
    {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve("better-sqlite3"),
        file: process.env.DATABASE_PATH,
        statements: sqlStatements,
        holdMs,
      },
    },
  );
  return new Promise<{ committed: Promise<void> }>((resolve, reject) => {
    const committed = new Promise<void>((done) =>
      worker.on("message", (m) => {
        if (m === "locked") resolve({ committed });
        if (m === "committed") done();
      }),
    );
    worker.on("error", reject);
  });
}

describe("races with another writer", () => {
  it("refuses a delete when an OCR result raises a 見守り flag while the delete is on its way; the flag survives", async () => {
    const pageId = await pageIn("ocr");
    const job = await db()
      .selectFrom("ocr_job")
      .select("id")
      .where("page_id", "=", pageId)
      .where("state", "=", "running")
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    // What the OCR runner's completion writes when the text holds a concern phrase.
    const other = await otherWriter([
      `insert into transcription (page_id, version, source, text, lines_json, ocr_job_id)
         values (${pageId}, 1, 'ocr', 'もう消えたい', '[]', ${job.id})`,
      `update page set status = 'needs_review', updated_at = '${now}' where id = ${pageId}`,
      `update ocr_job set state = 'done', finished_at = '${now}' where id = ${job.id}`,
      `insert into watch_flag (page_id, source, status, transcription_version, matched_text,
         context_before, context_after, created_at)
         values (${pageId}, 'phrase', 'open', 1, '消えたい', 'もう', '', '${now}')`,
    ]);
    const refused = await deletePage(groupId, pageId, { actor: staff.actor }).catch(
      (e: unknown) => e,
    );
    await other.committed;
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).key).toBe("scan.openFlag");
    const { page, flags, versions } = await snapshot(pageId);
    expect(page?.status).toBe("needs_review");
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ status: "open", matched_text: "消えたい" });
    expect(versions).toHaveLength(1);
  });

  it("refuses a rotation when a reviewer saves while it is on its way; the page stays in review", async () => {
    const pageId = await pageIn("needs_review");
    const now = new Date().toISOString();
    const other = await otherWriter([
      `insert into transcription (page_id, version, source, text, lines_json, created_by_staff_id)
         values (${pageId}, 2, 'staff', 'きょうは晴れでした', '[]', ${staff.id})`,
      `update page set review_staff_id = ${staff.id}, review_claimed_at = '${now}' where id = ${pageId}`,
    ]);
    const refused = await rotatePage(groupId, pageId, 90, { actor: staff.actor }).catch(
      (e: unknown) => e,
    );
    await other.committed;
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).key).toBe("scan.alreadyReviewed");
    const { page, jobs, versions } = await snapshot(pageId);
    expect(page).toMatchObject({ status: "needs_review", rotation: 0 });
    expect(jobs.filter((j) => j.state === "queued")).toHaveLength(0);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });
});
