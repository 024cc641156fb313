/**
 * The durable OCR job runner. Responsible for claiming queued jobs with a lease (so that two
 * runners, in one process or several, never process the same job), keeping the lease alive while
 * a page is recognised, writing the draft transcription exactly once, retrying failures with
 * back-off up to 3 attempts, and re-queueing jobs whose lease expired (a runner that died).
 * Not responsible for recognition itself (app/ocr/pipeline.server.ts), for uploads, or for what a
 * job's claim, result or failure does to its page: page-lifecycle.server.ts owns those.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import { recognizePage } from "~/ocr/pipeline.server";
import type { TesseractPool } from "~/ocr/tesseract-pool.server";
import {
  derivePageCrop,
  removeFiles,
  resolveUpload,
  type StoredCrop,
} from "~/storage/images.server";
import type { DB } from "~/utils/db.server";
import {
  cancelJob,
  claimNextJob,
  completeOcr,
  failOcr,
  renewLease,
  requeueExpiredJobs,
  type ClaimedJob,
} from "./page-lifecycle.server";

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

  /** Expired leases go back to the queue, with their pages: their runner died or hung. */
  async requeueExpired() {
    const n = await requeueExpiredJobs(this.db);
    if (n > 0) this.log(`re-queued ${n} job(s) with expired leases`);
    return n;
  }

  private claim() {
    return claimNextJob(this.db, this.owner, this.leaseMs);
  }

  private async process(job: ClaimedJob) {
    const heartbeat = setInterval(
      () => void renewLease(this.db, job.id, this.owner, this.leaseMs).catch(() => {}),
      Math.max(1000, this.leaseMs / 3),
    );
    // The crop file no page points to once this is over: the one replaced, or a dropped new one.
    let unusedCrop: string | null = null;
    try {
      const page = await this.db
        .selectFrom("page")
        .select(["viewing_path", "layout_setting", "image_sha256", "rotation"])
        .where("id", "=", job.page_id)
        .executeTakeFirst();
      if (!page) {
        await cancelJob(this.db, job.id);
        return;
      }
      const viewing = await fs.readFile(resolveUpload(page.viewing_path));
      const result = await recognizePage(viewing, this.pool, { layout: page.layout_setting });
      // The page crop is a convenience: without it the editor shows the whole photo.
      const crop: StoredCrop | null = await derivePageCrop(
        viewing,
        { sha256: page.image_sha256, rotation: page.rotation, jobId: job.id },
        result.crop,
      ).catch((error: unknown) => {
        this.log(`page ${job.page_id}: no crop: ${String(error)}`);
        return null;
      });
      unusedCrop = crop?.cropPath ?? null;
      const outcome = await completeOcr(
        this.db,
        { id: job.id, pageId: job.page_id, owner: this.owner },
        {
          text: result.text,
          lines: result.lines,
          confidence: result.confidence,
          layout: result.layout,
          timings: result.timings,
          path: result.path,
        },
        crop && { cropPath: crop.cropPath, ...crop.geometry },
      );
      unusedCrop = outcome.unusedCrop;
      this.log(
        `page ${job.page_id}: ${result.layout}, confidence ${result.confidence}, ${result.timings.totalMs} ms`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`page ${job.page_id}: attempt ${job.attempts} failed: ${message}`);
      await failOcr(
        this.db,
        { id: job.id, pageId: job.page_id, owner: this.owner, attempts: job.attempts },
        message,
        { maxAttempts: MAX_ATTEMPTS, backoffMs: 2000 * 4 ** (job.attempts - 1) },
      ).catch((e: unknown) =>
        this.log(`page ${job.page_id}: could not record the failure: ${String(e)}`),
      );
    } finally {
      clearInterval(heartbeat);
      await removeFiles(unusedCrop).catch(() => {});
    }
  }
}
