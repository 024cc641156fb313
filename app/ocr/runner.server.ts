/**
 * The durable OCR job runner. Responsible for claiming queued jobs with a lease (so that two
 * runners, in one process or several, never process the same job), keeping the lease alive while
 * a page is recognised, writing the draft transcription exactly once, retrying failures with
 * back-off up to 3 attempts, and re-queueing jobs whose lease expired (a runner that died).
 * Not responsible for recognition itself (pipeline.server.ts) or for uploads.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import { sql } from "kysely";
import type { DB } from "~/utils/db.server";
import { resolveUpload } from "./images.server";
import { recognizePage } from "./pipeline.server";
import type { TesseractPool } from "./tesseract-pool.server";
import { checkForConcerns } from "~/models/watch.server";

export const MAX_ATTEMPTS = 3;

export interface RunnerOptions {
  db: DB;
  pool: TesseractPool;
  /** How many pages are recognised at once; defaults to the pool size. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: (message: string) => void;
}

const nowIso = () => new Date().toISOString();

export class OcrRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;
  private readonly db: DB;
  private readonly pool: TesseractPool;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly log: (message: string) => void;
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(options: RunnerOptions) {
    this.db = options.db;
    this.pool = options.pool;
    this.concurrency = options.concurrency ?? options.pool.size;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1000;
    this.log = options.log ?? (() => {});
  }

  async start() {
    this.stopped = false;
    await this.requeueExpired();
    this.sweeper = setInterval(
      () => void this.requeueExpired().catch((e) => this.log(String(e))),
      15_000,
    );
    this.sweeper.unref();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Looks for work now (called after an upload) instead of waiting for the next poll. */
  kick() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    void this.fill();
  }

  private schedule() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), this.pollMs);
    this.timer.unref?.();
  }

  private async fill() {
    try {
      while (!this.stopped && this.running < this.concurrency) {
        const job = await this.claim();
        if (!job) break;
        this.running++;
        void this.process(job).finally(() => {
          this.running--;
          if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
          this.kick();
        });
      }
    } catch (error) {
      this.log(`claim failed: ${String(error)}`);
    }
    this.schedule();
  }

  /** Expired leases go back to the queue: their runner died or hung. */
  async requeueExpired() {
    const result = await this.db
      .updateTable("ocr_job")
      .set({ state: "queued", lease_owner: null, lease_until: null })
      .where("state", "=", "running")
      .where("lease_until", "<", nowIso())
      .executeTakeFirst();
    const n = Number(result.numUpdatedRows);
    if (n > 0) this.log(`re-queued ${n} job(s) with expired leases`);
    return n;
  }

  /** One UPDATE … RETURNING: SQLite serialises writers, so only one runner can win a job. */
  private async claim() {
    const leaseUntil = new Date(Date.now() + this.leaseMs).toISOString();
    const job = await this.db
      .updateTable("ocr_job")
      .set((eb) => ({
        state: "running",
        lease_owner: this.owner,
        lease_until: leaseUntil,
        attempts: eb("attempts", "+", 1),
      }))
      .where(
        "id",
        "=",
        sql<number>`(select id from ocr_job where state = 'queued' and run_after <= ${nowIso()} order by id limit 1)`,
      )
      .where("state", "=", "queued")
      .returning(["id", "page_id", "attempts"])
      .executeTakeFirst();
    if (job) {
      await this.db
        .updateTable("page")
        .set({ status: "ocr", updated_at: nowIso() })
        .where("id", "=", job.page_id)
        .execute();
    }
    return job;
  }

  private async stillMine(jobId: number) {
    const row = await this.db
      .selectFrom("ocr_job")
      .select(["state", "lease_owner"])
      .where("id", "=", jobId)
      .executeTakeFirst();
    return row?.state === "running" && row.lease_owner === this.owner;
  }

  private async process(job: { id: number; page_id: number; attempts: number }) {
    const heartbeat = setInterval(
      () => {
        void this.db
          .updateTable("ocr_job")
          .set({ lease_until: new Date(Date.now() + this.leaseMs).toISOString() })
          .where("id", "=", job.id)
          .where("lease_owner", "=", this.owner)
          .where("state", "=", "running")
          .execute()
          .catch(() => {});
      },
      Math.max(1000, this.leaseMs / 3),
    );
    try {
      const page = await this.db
        .selectFrom("page")
        .select(["viewing_path", "layout_setting"])
        .where("id", "=", job.page_id)
        .executeTakeFirst();
      if (!page) {
        await this.db
          .updateTable("ocr_job")
          .set({ state: "cancelled", finished_at: nowIso() })
          .where("id", "=", job.id)
          .execute();
        return;
      }
      const viewing = await fs.readFile(resolveUpload(page.viewing_path));
      const result = await recognizePage(viewing, this.pool, { layout: page.layout_setting });
      await this.db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom("ocr_job")
          .select(["state", "lease_owner"])
          .where("id", "=", job.id)
          .executeTakeFirst();
        // Lost the lease (another runner has it now) or cancelled (rotated, re-run): drop the result.
        if (current?.state !== "running" || current.lease_owner !== this.owner) return;
        const last = await trx
          .selectFrom("transcription")
          .select((eb) => eb.fn.max("version").as("v"))
          .where("page_id", "=", job.page_id)
          .executeTakeFirst();
        const version = Number(last?.v ?? 0) + 1;
        const text = result.text.normalize("NFC");
        await trx
          .insertInto("transcription")
          .values({
            page_id: job.page_id,
            version,
            source: "ocr",
            text,
            lines_json: JSON.stringify(
              result.lines.map((l) => ({ ...l, text: l.text.normalize("NFC") })),
            ),
            confidence: result.confidence,
            layout: result.layout,
            ocr_job_id: job.id,
            timings_json: JSON.stringify(result.timings),
          })
          .execute();
        await trx
          .updateTable("page")
          .set({
            status: "needs_review",
            layout: result.layout,
            ocr_error: null,
            updated_at: nowIso(),
          })
          .where("id", "=", job.page_id)
          .execute();
        await trx
          .updateTable("ocr_job")
          .set({ state: "done", finished_at: nowIso(), last_error: null })
          .where("id", "=", job.id)
          .execute();
        await checkForConcerns(trx, {
          pageId: job.page_id,
          version,
          text,
          actor: { type: "system" },
        });
      });
      this.log(
        `page ${job.page_id}: ${result.layout}, confidence ${result.confidence}, ${result.timings.totalMs} ms`,
      );
    } catch (error) {
      await this.fail(job, error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fail(job: { id: number; page_id: number; attempts: number }, error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    this.log(`page ${job.page_id}: attempt ${job.attempts} failed: ${message}`);
    if (!(await this.stillMine(job.id))) return;
    const final = job.attempts >= MAX_ATTEMPTS;
    const backoffMs = 2000 * 4 ** (job.attempts - 1);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("ocr_job")
        .set({
          state: final ? "failed" : "queued",
          last_error: message.slice(0, 500),
          lease_owner: null,
          lease_until: null,
          run_after: new Date(Date.now() + (final ? 0 : backoffMs)).toISOString(),
          finished_at: final ? nowIso() : null,
        })
        .where("id", "=", job.id)
        .execute();
      await trx
        .updateTable("page")
        .set({
          status: final ? "ocr_failed" : "queued",
          ocr_error: final ? message.slice(0, 500) : null,
          updated_at: nowIso(),
        })
        .where("id", "=", job.page_id)
        .execute();
    });
  }
}
