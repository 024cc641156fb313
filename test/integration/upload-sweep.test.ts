/**
 * The start-up sweep of the image store: files no page names are reported, removed only when
 * asked and only past the grace period; a page whose file is gone is reported, never "fixed".
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { addPage } from "~/models/pages.server";
import { sweepUploads } from "~/models/upload-sweep.server";
import { TEMP_SUFFIX, listStoredFiles, writeFileAtomic } from "~/storage/images.server";
import { makeActiveGroup, makeStaff } from "../helpers/factories";
import { fixture } from "../helpers/ocr-pages";

const uploadsDir = process.env.UPLOADS_DIR!;

describe("sweepUploads", () => {
  it("reports orphans, removes them only when asked and old enough, reports missing files", async () => {
    const staff = await makeStaff();
    const { groupId } = await makeActiveGroup();
    const photo = await sharp(fixture("ocr", "horizontal.jpg")).resize(600).jpeg().toBuffer();
    const added = await addPage(groupId, photo, { actor: staff.actor });
    const pageFiles = (await listStoredFiles()).map((f) => f.path).sort();
    expect(pageFiles).toHaveLength(3); // original, viewing image, thumbnail
    expect(pageFiles.some((f) => f.endsWith(TEMP_SUFFIX))).toBe(false);

    await writeFileAtomic(path.join("originals", "orphan.jpg"), photo);
    fs.writeFileSync(path.join(uploadsDir, "derived", `x.jpg.1-00${TEMP_SUFFIX}`), "half");
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(uploadsDir, "originals", "orphan.jpg"), hourAgo, hourAgo);

    // Default grace (one hour): the fresh temporary file is too young to judge.
    const report = await sweepUploads();
    expect(report.orphans.map((o) => o.path)).toEqual([path.join("originals", "orphan.jpg")]);
    expect(report.recent).toBe(1);
    expect(report.removed).toEqual([]);
    expect(fs.existsSync(path.join(uploadsDir, "originals", "orphan.jpg"))).toBe(true);

    const removed = await sweepUploads({ remove: true, graceMs: 0 });
    expect(removed.removed.sort()).toEqual(
      [
        path.join("derived", `x.jpg.1-00${TEMP_SUFFIX}`),
        path.join("originals", "orphan.jpg"),
      ].sort(),
    );
    expect((await listStoredFiles()).map((f) => f.path).sort()).toEqual(pageFiles);

    // A page's file gone: reported with the page, and the page's other files are kept.
    const thumb = pageFiles.find((f) => f.endsWith("thumb.jpg"))!;
    fs.rmSync(path.join(uploadsDir, thumb));
    const missing = await sweepUploads({ remove: true, graceMs: 0 });
    expect(missing.missing).toEqual([{ pageId: added.pageId, path: thumb }]);
    expect(missing.removed).toEqual([]);
    expect((await listStoredFiles()).length).toBe(2);
  });
});
