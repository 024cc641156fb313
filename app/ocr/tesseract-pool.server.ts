/**
 * A pool of tesseract.js workers, created once per process. Responsible for running one
 * recognition at a time per slot, with the Japanese models loaded from node_modules (never from
 * the network), recycling workers after a number of jobs, and a watchdog that terminates and
 * replaces a worker whose job runs too long. A failing worker rejects its job; it never takes the
 * process down. Not responsible for preprocessing or for the job queue.
 */
import { createRequire } from "node:module";
import path from "node:path";
import os from "node:os";
import Tesseract from "tesseract.js";
import { PreparePool } from "./prepare-pool.server";
import type { Layout } from "./preprocess.server";

const require = createRequire(import.meta.url);

/**
 * Model variant: `hand` (the default: ours, fine-tuned for handwriting, in app/ocr/models/hand),
 * or `4.0.0` / `4.0.0_best_int` from @tesseract.js-data; see docs/benchmarks.md and decision 033.
 */
export const MODEL_VARIANT = process.env.OCR_MODEL ?? "hand";

/**
 * Where the fine-tuned models live (test/hand-model/train.ts writes them). Found from the project
 * root above node_modules, which holds whether this module runs from app/ or from the build.
 */
const HAND_MODEL_DIR = path.join(
  path.dirname(require.resolve("@tesseract.js-data/jpn/package.json")),
  "..",
  "..",
  "..",
  "app",
  "ocr",
  "models",
  "hand",
);

function langPathOf(
  pkg: "@tesseract.js-data/jpn" | "@tesseract.js-data/jpn_vert",
  variant: string,
) {
  if (variant === "hand") return HAND_MODEL_DIR;
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), variant);
}

type Models = Record<Layout, { lang: string; langPath: string; psm: Tesseract.PSM }>;

function modelsFor(variant: string): Models {
  return {
    horizontal: {
      lang: "jpn",
      langPath: langPathOf("@tesseract.js-data/jpn", variant),
      psm: Tesseract.PSM.SINGLE_BLOCK,
    },
    vertical: {
      lang: "jpn_vert",
      langPath: langPathOf("@tesseract.js-data/jpn_vert", variant),
      psm: Tesseract.PSM.SINGLE_BLOCK_VERT_TEXT,
    },
  };
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  /**
   * Characters Tesseract was unsure about (symbol or word confidence below 60), as code-point
   * offsets in text.
   */
  unsure: number[];
}

export interface RawRecognition {
  lines: OcrLine[];
  confidence: number;
}

export class OcrTimeoutError extends Error {
  constructor(ms: number) {
    super(`OCR took longer than ${ms} ms`);
  }
}

interface Slot {
  workers: Partial<Record<Layout, Tesseract.Worker>>;
  jobs: number;
  busy: boolean;
}

export interface PoolOptions {
  size?: number;
  recycleAfter?: number;
  jobTimeoutMs?: number;
  /** Model variant (default `OCR_MODEL`, see MODEL_VARIANT). */
  model?: string;
}

export class TesseractPool {
  readonly size: number;
  private readonly recycleAfter: number;
  private readonly jobTimeoutMs: number;
  private readonly slots: Slot[];
  private readonly models: Models;
  private waiting: ((slot: Slot) => void)[] = [];
  /** Preprocessing threads, as many as recognition slots. */
  readonly preparer: PreparePool;
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? (Number(process.env.OCR_WORKERS) || os.cpus().length));
    this.recycleAfter = options.recycleAfter ?? 50;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
    this.models = modelsFor(options.model ?? MODEL_VARIANT);
    this.slots = Array.from({ length: this.size }, () => ({ workers: {}, jobs: 0, busy: false }));
    this.preparer = new PreparePool(this.size);
  }

  private async worker(slot: Slot, layout: Layout): Promise<Tesseract.Worker> {
    const existing = slot.workers[layout];
    if (existing) return existing;
    const model = this.models[layout];
    const worker = await Tesseract.createWorker(model.lang, Tesseract.OEM.LSTM_ONLY, {
      langPath: model.langPath,
      gzip: true,
      cacheMethod: "none",
    } as Partial<Tesseract.WorkerOptions>);
    await worker.setParameters({
      tessedit_pageseg_mode: model.psm,
      preserve_interword_spaces: "1",
      user_defined_dpi: "300",
      // Dark-on-light only: skips re-reading low-confidence lines as inverted text (slow, useless here).
      tessedit_do_invert: "0",
    });
    slot.workers[layout] = worker;
    return worker;
  }

  private async reset(slot: Slot) {
    const workers = Object.values(slot.workers);
    slot.workers = {};
    slot.jobs = 0;
    await Promise.allSettled(workers.map((w) => w.terminate()));
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new Error("OCR pool closed"));
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot) {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  /** Recognises a prepared greyscale PNG with the model for `layout`. */
  async recognize(png: Buffer, layout: Layout): Promise<RawRecognition> {
    const slot = await this.acquire();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (slot.jobs >= this.recycleAfter) await this.reset(slot);
      const worker = await this.worker(slot, layout);
      slot.jobs++;
      const job = worker.recognize(png, {}, { blocks: true, text: true });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(this.jobTimeoutMs)), this.jobTimeoutMs);
      });
      const { data } = await Promise.race([job, timeout]);
      return toRecognition(data);
    } catch (error) {
      // The worker may be stuck or broken: replace it before anyone else uses the slot.
      await this.reset(slot);
      throw error;
    } finally {
      clearTimeout(timer);
      this.release(slot);
    }
  }

  async close() {
    this.closed = true;
    await Promise.allSettled([...this.slots.map((s) => this.reset(s)), this.preparer.close()]);
  }
}

/**
 * Tesseract puts spaces between Japanese characters; real spaces survive only between Latin
 * letters or digits.
 */
export function cleanSpaces(text: string): string {
  return text
    .replace(/[ \t\u3000]+/g, " ")
    .replace(/(?<=[^\p{ASCII}]) | (?=[^\p{ASCII}])/gu, "")
    .trim();
}

function toRecognition(page: Tesseract.Page): RawRecognition {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        // The LSTM gives nearly every symbol 90+; the doubt shows in the confidence of the word
        // (one to three characters in Japanese), so a character counts as unsure when its symbol
        // or its word is below the cut.
        const symbols = line.words.flatMap((w) =>
          w.symbols.map((s) => ({
            text: s.text,
            confidence: Math.min(s.confidence, w.confidence),
          })),
        );
        const text = cleanSpaces(line.text);
        if (!text) continue;
        // Offsets of unsure symbols in the cleaned text: walk symbols in order.
        const unsure: number[] = [];
        let offset = 0;
        const chars = Array.from(text);
        for (const symbol of symbols) {
          const symbolChars = Array.from(symbol.text);
          while (offset < chars.length && chars[offset] !== symbolChars[0]) offset++;
          if (offset >= chars.length) break;
          if (symbol.confidence < 60) unsure.push(offset);
          offset += symbolChars.length;
        }
        lines.push({ text, confidence: line.confidence, bbox: line.bbox, unsure });
      }
    }
  }
  return { lines, confidence: page.confidence };
}
