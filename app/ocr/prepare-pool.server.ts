/**
 * A small pool of worker threads running app/ocr/prepare-worker.ts. A thread that crashes
 * rejects its page and is replaced; the caller's retry logic decides what happens next.
 */
import { Worker } from "node:worker_threads";
import type { Layout, PreparedPage, PrepareOptions, Transform } from "./preprocess.server";

export interface PreparedPng {
  png: Buffer;
  width: number;
  height: number;
  transform: Transform;
  pageBox: PreparedPage["pageBox"];
  layoutHint: Layout;
  layoutRatio: number;
  notes: PreparedPage["notes"];
  marks: number;
}

interface Pending {
  resolve: (value: PreparedPng) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  busy: boolean;
  pending?: { id: number } & Pending;
}

const WORKER_URL = new URL("./prepare-worker.mjs", import.meta.url);

export class PreparePool {
  private threads: Thread[] = [];
  private queue: { id: number; viewing: Buffer; options: PrepareOptions; pending: Pending }[] = [];
  private nextId = 1;
  private closed = false;

  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_URL);
    const thread: Thread = { worker, busy: false };
    worker.on(
      "message",
      (message: { id: number; error?: string; png?: Uint8Array } & Omit<PreparedPng, "png">) => {
        const pending = thread.pending;
        if (!pending || pending.id !== message.id) return;
        thread.pending = undefined;
        thread.busy = false;
        if (message.error) pending.reject(new Error(message.error));
        else pending.resolve({ ...message, png: Buffer.from(message.png!) } as PreparedPng);
        this.drain();
      },
    );
    worker.on("error", (error) => {
      thread.pending?.reject(error instanceof Error ? error : new Error(String(error)));
      thread.pending = undefined;
      this.threads = this.threads.filter((t) => t !== thread);
      this.drain();
    });
    this.threads.push(thread);
    return thread;
  }

  private drain() {
    while (this.queue.length && !this.closed) {
      let thread = this.threads.find((t) => !t.busy);
      if (!thread && this.threads.length < this.size) thread = this.spawn();
      if (!thread) return;
      const job = this.queue.shift()!;
      thread.busy = true;
      thread.pending = { id: job.id, ...job.pending };
      thread.worker.postMessage({
        id: job.id,
        viewing: new Uint8Array(job.viewing),
        options: job.options,
      });
    }
  }

  prepare(viewing: Buffer, options: PrepareOptions = {}): Promise<PreparedPng> {
    if (this.closed) return Promise.reject(new Error("prepare pool closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, viewing, options, pending: { resolve, reject } });
      this.drain();
    });
  }

  async close() {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.pending.reject(new Error("prepare pool closed"));
    await Promise.allSettled(this.threads.map((t) => t.worker.terminate()));
    this.threads = [];
  }
}
