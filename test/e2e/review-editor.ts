/**
 * What the review editor shows and what the database holds for a page, for the browser tests
 * that compare the two after every step.
 */
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
import { notesOfPath } from "../../app/ocr/path";
import { ja } from "../../app/i18n/ja";
import { expect } from "./fixtures";

export interface StoredPage {
  id: number;
  groupName: string;
  pageNumber: number;
  layout: string | null;
  status: string;
  approvedVersion: number | null;
  latestVersion: number;
  lines: string[];
  approvedText: string | null;
  /** What the history says about how OCR read the page (its job's path), in Japanese. */
  ocrNotes: string;
}

/** Helpers bound to one spec file's demo server (its address and its database file). */
export function reviewEditor(base: (() => string) & { databasePath: () => string }) {
  function stored(pageId: number): StoredPage {
    const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
    try {
      const p = db
        .prepare(
          `select p.id, g.name as groupName, p.page_number as pageNumber, p.layout, p.status,
                  p.approved_version as approvedVersion
             from page p join diary_group g on g.id = p.group_id where p.id = ?`,
        )
        .get(pageId) as Omit<StoredPage, "latestVersion" | "lines" | "approvedText" | "ocrNotes">;
      const job = db
        .prepare(
          `select path_json from ocr_job where page_id = ? and state = 'done' order by id desc`,
        )
        .get(pageId) as { path_json: string | null } | undefined;
      const notes = notesOfPath(job?.path_json);
      const latest = db
        .prepare(
          `select version, lines_json from transcription where page_id = ? order by version desc limit 1`,
        )
        .get(pageId) as { version: number; lines_json: string };
      const approved = p.approvedVersion
        ? (db
            .prepare(`select text from transcription where page_id = ? and version = ?`)
            .get(pageId, p.approvedVersion) as { text: string })
        : null;
      return {
        ...p,
        latestVersion: latest.version,
        lines: (JSON.parse(latest.lines_json) as Array<{ text: string }>).map((l) => l.text),
        approvedText: approved?.text ?? null,
        ocrNotes:
          notes.length > 0
            ? `${ja["review.ocrNotes"]}: ${notes.map((n) => ja[`ocr.note.${n}`]).join("、")}`
            : "",
      };
    } finally {
      db.close();
    }
  }

  function pageIdOf(page: Page) {
    const match = /\/review\/pages\/(\d+)/.exec(page.url());
    if (!match) throw new Error(`not on an editor page: ${page.url()}`);
    return Number(match[1]);
  }

  /** Everything the editor shows for the page, read from the screen. */
  async function shown(page: Page) {
    return {
      heading: (await page.getByRole("heading", { level: 1 }).innerText()).trim(),
      lines: await page
        .locator("input[name=line]")
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
      pageNumber: await page.getByLabel("ページ番号").inputValue(),
      writer: await page.getByLabel("書いた人").inputValue(),
      entryDate: await page.getByLabel("書いた日").inputValue(),
      layout: await page.getByLabel("書き方", { exact: true }).inputValue(),
      ocrNotes: (await page.getByTestId("ocr-notes-1").allInnerTexts())
        .join("")
        .trim()
        .replace(/^・/, ""),
    };
  }

  /** The editor shows exactly the stored page: compared with the database and with a fresh load. */
  async function expectEditorShows(page: Page, pageId: number) {
    const db = stored(pageId);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(
      `${db.groupName} ${db.pageNumber}ページ目`,
    );
    const afterNavigation = await shown(page);
    expect(afterNavigation.lines).toEqual(db.lines);
    expect(afterNavigation.pageNumber).toBe(String(db.pageNumber));
    expect(afterNavigation.layout).toBe(db.layout ?? "horizontal");
    expect(afterNavigation.ocrNotes).toBe(db.ocrNotes);
    // A full load of the same address renders from the server alone: nothing may differ.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${db.pageNumber}ページ目`);
    expect(await shown(page)).toEqual(afterNavigation);
    return { db, shown: afterNavigation };
  }

  async function waitForDemoPages(page: Page, count = 3) {
    await page.goto(`${base()}/review`);
    const rows = page.getByTestId("queue").locator("tbody tr");
    await expect(async () => {
      await page.reload();
      await expect(rows).toHaveCount(count, { timeout: 1000 });
    }).toPass({ timeout: 100_000 });
    return rows;
  }

  return { stored, pageIdOf, shown, expectEditorShows, waitForDemoPages };
}
