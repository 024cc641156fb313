/**
 * The process-wide OCR pool and runner. Created once by app/server.ts (unless OCR_RUNNER=off)
 * or by app/worker.ts; kept on globalThis because the Remix build and the server entry load
 * separate copies of this module, and an upload must be able to wake the runner up.
 */
import { getDb } from "~/utils/db.server";
import { OcrRunner } from "./ocr-runner.server";
import { TesseractPool } from "~/ocr/tesseract-pool.server";

const registry = globalThis as unknown as { __ocr?: { pool: TesseractPool; runner: OcrRunner } };

export async function startOcr(options: { log?: (m: string) => void } = {}) {
  if (registry.__ocr) return registry.__ocr;
  const pool = new TesseractPool();
  const leaseMs = Number(process.env.OCR_LEASE_MS) || undefined;
  const runner = new OcrRunner({ db: getDb(), pool, log: options.log, leaseMs });
  registry.__ocr = { pool, runner };
  await runner.start();
  return registry.__ocr;
}

export async function stopOcr() {
  const ocr = registry.__ocr;
  registry.__ocr = undefined;
  if (!ocr) return;
  await ocr.runner.stop();
  await ocr.pool.close();
}

/** Wakes the runner after an upload; a separate worker process polls on its own. */
export function kickOcr() {
  registry.__ocr?.runner.kick();
}
