/**
 * Tagging a seed (タネ) in an approved page from the keyboard: the approved text is one selectable
 * text, a selection across two lines becomes code-point offsets into the approved version, and
 * the saved seed shows as a highlight; then the app's suggestions are taken with one key (the form
 * opens prefilled) or dismissed with another — each step compared with what the database holds.
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

test("a reviewer selects two lines of an approved page with Shift+arrows, presses T and saves a seed that points at exactly those words; takes a suggestion with one key and dismisses another", async ({
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
  await rows.filter({ hasText: "こもれび 1ページ目" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("こもれび 1ページ目");
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

  // The app's suggestions for this version were made when the page loaded; the selection takes
  // two lines beside most of them, so that they stay for the second half of the test.
  type Suggestion = {
    id: number;
    start_cp: number;
    end_cp: number;
    quote: string;
    category: string;
  };
  const suggestions = () =>
    query<Suggestion>(
      `select s.id, s.start_cp, s.end_cp, s.quote, s.category from seed_suggestion s
         where s.page_id = ? and s.status = 'open'
           and not exists (select 1 from seed d where d.transcription_id = s.transcription_id
                             and d.start_cp < s.end_cp and s.start_cp < d.end_cp)
         order by s.start_cp`,
      pageId,
    );
  const lineStarts = lines.map(
    (_, i) => Array.from(lines.slice(0, i).join("\n")).length + (i > 0 ? 1 : 0),
  );
  // The two lines that leave the most suggestions untouched (at least two are needed below).
  const open0 = suggestions();
  let first = -1;
  let most = -1;
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (!line || !next) return;
    const start = lineStarts[i]!;
    const end = lineStarts[i + 1]! + Array.from(next).length;
    const untouched = open0.filter((s) => !(s.start_cp < end && start < s.end_cp)).length;
    if (untouched > most) {
      first = i;
      most = untouched;
    }
  });
  expect(first, "two lines to select").toBeGreaterThanOrEqual(0);
  expect(most, "suggestions left beside them").toBeGreaterThanOrEqual(2);

  // Caret to the start of that line, then select to the end of the next one.
  await text.focus();
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < first; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+ArrowDown");
  await page.keyboard.press("Shift+End");
  const expected = `${lines[first]}\n${lines[first + 1]}`;
  await expect(page.getByRole("button", { name: "タネにする", exact: true })).toBeEnabled();
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

  // The app's suggestions: the list on screen is the open suggestions in the database, in text
  // order, each outlined in the text.
  const open = suggestions();
  expect(open.length, "the demo page has suggestions").toBeGreaterThanOrEqual(2);
  const list = page.getByTestId("suggestions");
  const items = list.locator("li");
  await expect(items).toHaveCount(open.length);
  for (const [i, s] of open.entries()) await expect(items.nth(i)).toContainText(s.quote);
  await expect(page.locator("mark.suggestion")).toHaveCount(open.length);

  // j moves to the second, a opens the form with its words, name and category; Enter saves.
  await list.focus();
  await page.keyboard.press("j");
  await expect(items.nth(1)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("a");
  const taken = open[1]!;
  await expect(form.locator(".seed-form__quote")).toHaveText(taken.quote, { useInnerText: true });
  await expect(form.getByLabel("短い名前")).toBeFocused();
  await expect(form.getByLabel("短い名前")).toHaveValue(/.+/);
  await expect(form.getByLabel("種類")).toHaveValue(taken.category);
  await page.keyboard.press("Enter");
  await expect(form).toHaveCount(0);
  await expect(page.locator("mark.seed")).toHaveCount(2);
  await expect(page.locator("mark.seed", { hasText: taken.quote })).toHaveCount(1);
  const [fromSuggestion] = query<{ quote: string; source: string; status: string }>(
    `select d.quote, d.source, s.status from seed_suggestion s join seed d on d.id = s.seed_id
       where s.id = ?`,
    taken.id,
  );
  expect(fromSuggestion).toEqual({
    quote: taken.quote,
    source: expect.stringMatching(/^(autolink|discovery)$/),
    status: "taken",
  });
  const left = suggestions();
  expect(left.map((s) => s.id)).not.toContain(taken.id);
  await expect(items).toHaveCount(left.length);
  await expect(list).toBeFocused();

  // d dismisses the current one: gone from the screen and marked in the database.
  const current = await list.locator('li[aria-current="true"]').getAttribute("data-suggestion");
  await page.keyboard.press("d");
  await expect(items).toHaveCount(left.length - 1);
  const [dismissed] = query<{ status: string; quote: string }>(
    "select status, quote from seed_suggestion where id = ?",
    Number(current),
  );
  expect(dismissed!.status).toBe("dismissed");
  await expect(page.locator("mark.suggestion", { hasText: dismissed!.quote })).toHaveCount(0);
  expect(suggestions()).toHaveLength(left.length - 1);
});
