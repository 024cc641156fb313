import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { vi } from "vitest";
import { addPage } from "~/models/pages.server";
import { OcrRunner } from "~/models/ocr-runner.server";
import { TesseractPool } from "~/ocr/tesseract-pool.server";
import type { Actor } from "~/utils/audit.server";
import { getDb } from "~/utils/db.server";
import { ROOT } from "./paths";

export const fixture = (...parts: string[]) =>
  fs.readFileSync(path.join(ROOT, "test", "fixtures", ...parts));

/**
 * Pages with a real OCR draft: the photos go through addPage (sharp) and the real runner with
 * tesseract.js, exactly as at the station. Each photo is made distinct by a small brightness
 * change, since the same photo twice is refused as a duplicate.
 */
export async function pagesWithDrafts(
  groupId: number,
  actor: Actor & { type: "staff" },
  photos: Buffer[],
  options: { uploadedAt?: Date[] } = {},
): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, photo] of photos.entries()) {
    const bytes = await sharp(photo)
      .modulate({ brightness: 1 + (i + 1) * 0.003 + Math.random() * 0.002 })
      .jpeg()
      .toBuffer();
    // The app's clock at the moment of the upload, when a test needs a particular moment.
    const at = options.uploadedAt?.[i];
    if (at) vi.useFakeTimers({ toFake: ["Date"], now: at });
    try {
      const added = await addPage(groupId, bytes, { actor });
      ids.push(added.pageId);
    } finally {
      if (at) vi.useRealTimers();
    }
  }
  const pool = new TesseractPool({ size: 1 });
  const runner = new OcrRunner({ db: getDb(), pool, pollMs: 100 });
  await runner.start();
  try {
    const end = Date.now() + 120_000;
    for (;;) {
      const rows = await getDb()
        .selectFrom("page")
        .select("status")
        .where("id", "in", ids)
        .execute();
      if (rows.every((r) => r.status === "needs_review")) break;
      if (Date.now() > end) throw new Error("OCR did not finish");
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await runner.stop();
    await pool.close();
  }
  return ids;
}
