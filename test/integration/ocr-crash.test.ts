/**
 * A separate runner process (npm run worker) killed with SIGKILL in the middle of a batch: after a
 * new runner starts, every page ends needs_review exactly once — no page lost, no duplicate draft.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { addPage } from "~/models/pages.server";
import { getDb } from "~/utils/db.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { ROOT } from "../helpers/paths";

const children: ChildProcess[] = [];

function startWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", "app/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, OCR_WORKERS: "2", OCR_LEASE_MS: "3000" },
    stdio: "ignore",
  });
  children.push(child);
  return child;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("timed out");
}

describe("OCR runner crash", () => {
  it("loses no page and writes no duplicate after SIGKILL", { timeout: 180_000 }, async () => {
    const staff = await makeStaff();
    const { groupId } = await makeActiveGroup();
    const photo = fs.readFileSync(path.join(ROOT, "test", "fixtures", "ocr", "horizontal.jpg"));
    const pageIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      // Six different photos: the same picture, slightly brightened each time.
      const bytes = await sharp(photo)
        .modulate({ brightness: 1 + i * 0.01 })
        .jpeg()
        .toBuffer();
      const result = await addPage(groupId, bytes, { actor: staff.actor });
      pageIds.push(result.pageId);
    }
    const db = getDb();
    const statuses = async () =>
      (await db.selectFrom("page").select(["status"]).where("id", "in", pageIds).execute()).map(
        (r) => r.status,
      );

    const first = startWorker();
    // Kill it while it holds leases on running jobs.
    await waitFor(async () => (await statuses()).includes("ocr"), 60_000);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const running = await db
      .selectFrom("ocr_job")
      .select("id")
      .where("state", "=", "running")
      .execute();
    expect(running.length).toBeGreaterThan(0);

    startWorker();
    await waitFor(async () => (await statuses()).every((s) => s === "needs_review"), 150_000);

    for (const pageId of pageIds) {
      const drafts = await db
        .selectFrom("transcription")
        .select("id")
        .where("page_id", "=", pageId)
        .execute();
      expect(drafts, `page ${pageId}`).toHaveLength(1);
    }
    const unfinished = await db
      .selectFrom("ocr_job")
      .select("id")
      .where("state", "in", ["queued", "running"])
      .execute();
    expect(unfinished).toHaveLength(0);
  });
});
