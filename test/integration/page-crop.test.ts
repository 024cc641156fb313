/**
 * The straightened page crop: the real runner (sharp + tesseract.js) stores it next to the draft,
 * the stored line boxes land on the writing once mapped onto it, and a re-run or a rotation never
 * leaves a stale crop behind (in the database or on disk).
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { rerunOcr, rotatePage } from "~/models/pages.server";
import { getReviewPage, getStaffPageImage, getVisiblePageImage } from "~/models/review.server";
import { OcrRunner } from "~/models/ocr-runner.server";
import { listVersions } from "~/models/transcriptions.server";
import { TesseractPool } from "~/ocr/tesseract-pool.server";
import { toCropBox } from "~/utils/crop-map";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parseLines } from "~/utils/transcript";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture, pagesWithDrafts } from "../helpers/ocr-pages";

const pool = new TesseractPool({ size: 1 });
afterAll(async () => {
  await pool.close();
});

/** Runs the real runner until the page has been read again. */
async function readAgain(pageId: number) {
  const runner = new OcrRunner({ db: getDb(), pool, pollMs: 100 });
  await runner.start();
  try {
    const end = Date.now() + 120_000;
    for (;;) {
      const row = await getDb()
        .selectFrom("page")
        .select("status")
        .where("id", "=", pageId)
        .executeTakeFirstOrThrow();
      if (row.status === "needs_review") return;
      if (Date.now() > end) throw new Error("OCR did not finish");
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await runner.stop();
  }
}

const pageRow = (pageId: number) =>
  getDb().selectFrom("page").selectAll().where("id", "=", pageId).executeTakeFirstOrThrow();
const onDisk = (relative: string) => fs.existsSync(path.join(getEnv().uploadsDir, relative));

/**
 * Share of ink in a region of the crop: pixels much darker than the region's own paper (its
 * bright end), so that a shadow over the page does not count as writing.
 */
async function ink(
  file: Buffer,
  region: { left: number; top: number; width: number; height: number },
) {
  const { data } = await sharp(file)
    .extract(region)
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sorted = Uint8Array.from(data).sort();
  const paper = sorted[Math.floor(sorted.length * 0.9)]!;
  let dark = 0;
  for (const v of data) if (v < paper - 70) dark++;
  return dark / data.length;
}

describe("page crop", () => {
  it(
    "is stored when OCR reads a page, carries the boxes onto the writing, and is replaced or dropped with the page's image",
    { timeout: 300_000 },
    async () => {
      const staff = await makeStaff();
      const { groupId } = await makeActiveGroup();
      const [pageId] = await pagesWithDrafts(groupId, staff.actor, [
        fixture("ocr", "horizontal.jpg"),
      ]);
      const page = await pageRow(pageId!);

      // A colour JPEG under uploads/ (never public/), smaller than the photo: the desk is gone.
      expect(page.crop_path).toMatch(/^derived\/.+-crop-j\d+\.jpg$/);
      expect(onDisk(page.crop_path!)).toBe(true);
      const file = fs.readFileSync(path.join(getEnv().uploadsDir, page.crop_path!));
      const meta = await sharp(file).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.channels).toBe(3);
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect([meta.width, meta.height]).toEqual([page.crop_width, page.crop_height]);
      expect(page.crop_width!).toBeLessThan(page.width * 0.95);
      expect(page.crop_height!).toBeLessThan(page.height * 0.95);
      expect(page.crop_width! * page.crop_height!).toBeGreaterThan(page.width * page.height * 0.4);

      // The editor gets the crop geometry; the staff image route serves the crop.
      const review = await getReviewPage(pageId!);
      expect(review?.crop).toMatchObject({ width: page.crop_width, height: page.crop_height });
      expect(await getStaffPageImage(pageId!, "crop")).toBe(page.crop_path);

      // Every stored line box (still on the viewing image) lands on the crop on the writing.
      const draft = await getDb()
        .selectFrom("transcription")
        .select("lines_json")
        .where("page_id", "=", pageId!)
        .executeTakeFirstOrThrow();
      const lines = parseLines(draft.lines_json);
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) {
        const box = toCropBox(review!.crop!, page, line.bbox!);
        expect(box).not.toBeNull();
        const region = {
          left: box!.x0,
          top: box!.y0,
          width: box!.x1 - box!.x0,
          height: box!.y1 - box!.y0,
        };
        expect(await ink(file, region), line.text).toBeGreaterThan(0.08);
        // The same box moved down into the blank lower half of the page finds none.
        const blank = { ...region, top: region.top + Math.round(page.crop_height! * 0.45) };
        expect(await ink(file, blank), line.text).toBeLessThan(0.02);
      }

      // Re-run: a new crop replaces the old one, whose file goes.
      await rerunOcr(groupId, pageId!, { actor: staff.actor });
      await readAgain(pageId!);
      const rerun = await pageRow(pageId!);
      expect(rerun.crop_path).not.toBeNull();
      expect(rerun.crop_path).not.toBe(page.crop_path);
      expect(onDisk(rerun.crop_path!)).toBe(true);
      expect(onDisk(page.crop_path!)).toBe(false);

      // Rotation: the crop belongs to the old orientation and is dropped at once; the image
      // route falls back to the viewing image until OCR has made a new one.
      await rotatePage(groupId, pageId!, 90, { actor: staff.actor });
      const rotated = await pageRow(pageId!);
      expect(rotated.crop_path).toBeNull();
      expect(rotated.crop_json).toBeNull();
      expect(onDisk(rerun.crop_path!)).toBe(false);
      expect(await getStaffPageImage(pageId!, "crop")).toBe(rotated.viewing_path);
      expect((await getReviewPage(pageId!))?.crop).toBeNull();
      await readAgain(pageId!);
      const again = await pageRow(pageId!);
      expect(again.crop_path).toMatch(/-r90-crop-j\d+\.jpg$/);
      expect(onDisk(again.crop_path!)).toBe(true);

      // Once approved, the group's photo route serves the crop, never the whole photo.
      expect(await getVisiblePageImage(pageId!, groupId)).toBeNull();
      await getDb()
        .updateTable("page")
        .set({ status: "approved" })
        .where("id", "=", pageId!)
        .execute();
      expect(await getVisiblePageImage(pageId!, groupId)).toBe(again.crop_path);
    },
  );
});

describe("the path OCR took", () => {
  it(
    "is kept with the job and reaches the page's history as notes staff can read",
    { timeout: 300_000 },
    async () => {
      const staff = await makeStaff();
      const { groupId } = await makeActiveGroup();
      // A flat scan: nothing around the sheet, so the paper mask stands down.
      const [pageId] = await pagesWithDrafts(groupId, staff.actor, [
        fixture("ocr", "variety", "scan-black.jpg"),
      ]);
      const job = await getDb()
        .selectFrom("ocr_job")
        .select(["path_json", "state"])
        .where("page_id", "=", pageId!)
        .executeTakeFirstOrThrow();
      expect(job.state).toBe("done");
      const stored = JSON.parse(job.path_json!) as {
        passes: { notes: string[]; layout: string; score: number }[];
        chosen: number;
      };
      expect(stored.chosen).toBe(0);
      expect(stored.passes[0]!.notes).toContain("paper-kept-whole");
      expect(stored.passes[0]!.layout).toBe("vertical");
      expect(stored.passes[0]!.score).toBeGreaterThan(0.45);

      const [ocrVersion] = await listVersions(pageId!);
      expect(ocrVersion!.source).toBe("ocr");
      expect(ocrVersion!.ocrNotes).toEqual(["paper-kept-whole"]);
    },
  );
});
