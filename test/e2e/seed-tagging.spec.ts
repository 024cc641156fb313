/**
 * Tagging a seed (タネ) in an approved page from the keyboard: the approved text is one selectable
 * text, a selection across two lines becomes code-point offsets into the approved version, and
 * the saved seed shows as a highlight — compared with what the database holds.
 */
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

test("a reviewer selects two lines of an approved page with Shift+arrows, presses T and saves a seed that points at exactly those words", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/review`);
  const rows = page.getByTestId("queue").locator("tbody tr");
  await expect(async () => {
    await page.reload();
    await expect(rows).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 100_000 });
  await rows.filter({ hasText: "つばめ 1ページ目" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("つばめ 1ページ目");
  const editorUrl = page.url();
  const pageId = Number(/\/review\/pages\/(\d+)/.exec(editorUrl)![1]);
  await page.getByRole("button", { name: /承認して次へ/ }).click();
  await expect(page).not.toHaveURL(editorUrl);
  await page.goto(editorUrl);

  const [approved] = query<{ text: string; version: number }>(
    `select t.text, t.version from page p join transcription t
       on t.page_id = p.id and t.version = p.approved_version where p.id = ?`,
    pageId,
  );
  const lines = approved!.text.split("\n");
  const text = page.getByRole("textbox", { name: "承認された本文" });
  await expect(text).toHaveText(approved!.text.replace(/\n/g, "\n"), { useInnerText: true });

  // Caret to the start of the second line, then select to the end of the third line.
  await text.focus();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+ArrowDown");
  await page.keyboard.press("Shift+End");
  const expected = `${lines[1]}\n${lines[2]}`;
  await expect(page.getByRole("button", { name: "タネにする" })).toBeEnabled();
  await page.keyboard.press("t");
  const form = page.locator(".seed-form");
  await expect(form.locator(".seed-form__quote")).toHaveText(expected, { useInnerText: true });
  await expect(form.getByLabel("短い名前")).toBeFocused();
  await page.keyboard.type("ヘルパーさんの訪問");
  await form.getByLabel("種類").selectOption("person_skill");
  await form.getByLabel("タグ（読点・空白で区切る）").fill("介護、訪問");
  await form.getByRole("button", { name: "提案として保存" }).click();

  const mark = page.locator("mark.seed");
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveText(expected, { useInnerText: true });
  const [seed] = query<{
    start_cp: number;
    end_cp: number;
    quote: string;
    status: string;
    tags_json: string;
    transcription_version: number;
  }>(
    `select start_cp, end_cp, quote, status, tags_json, transcription_version from seed where page_id = ?`,
    pageId,
  );
  expect(seed).toMatchObject({
    quote: expected,
    status: "proposed",
    transcription_version: approved!.version,
  });
  expect(JSON.parse(seed!.tags_json)).toEqual(["介護", "訪問"]);
  // Code points, not UTF-16 units: the stored offsets slice exactly the quote.
  expect(Array.from(approved!.text).slice(seed!.start_cp, seed!.end_cp).join("")).toBe(expected);
  await expect(page.getByRole("list", { name: "このページのタネ" })).toContainText(
    "ヘルパーさんの訪問",
  );
});
