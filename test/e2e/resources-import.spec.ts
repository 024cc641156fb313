/**
 * Importing a 社協's list: a Shift_JIS CSV with one bad row is read, its columns are matched,
 * the preview shows the bad row with its line and reason and writes nothing; confirming writes
 * exactly the good rows — each step compared with what the database holds.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "off" } });

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const resources = () => query<{ name: string }>("select name from resource order by id");

test("a Shift_JIS CSV with one bad row: the preview shows it and writes nothing; confirming imports the good rows", async ({
  page,
}) => {
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/resources`);
  await page.getByRole("link", { name: "CSVを取り込む" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("一覧の取り込み（CSV）");
  const before = resources().length;

  await page
    .getByLabel("CSVファイル")
    .setInputFiles(path.join(process.cwd(), "test/fixtures/resources/sjis-excel.csv"));
  await page.getByRole("button", { name: "読み込む" }).click();
  await expect(page.getByTestId("import-file-info")).toContainText("Shift_JIS");
  // The header was read in Shift_JIS and matched: 名称 → 名称 (name), 住所 → 住所.
  await expect(page.getByLabel("名称", { exact: true })).toHaveValue("name");
  const counts = page.getByTestId("import-counts");
  await expect(counts).toContainText("エラー 1件");
  const preview = page.getByTestId("import-preview");
  await expect(preview).toContainText("ひばりサロン");
  const bad = preview.locator("tr.row--error");
  await expect(bad).toHaveCount(1);
  await expect(bad.locator("td").first()).toHaveText("6");
  await expect(bad).toContainText("緯度");
  expect(resources()).toHaveLength(before);

  const ok = Number(/取り込める行 (\d+)件/.exec((await counts.textContent()) ?? "")![1]);
  expect(ok).toBeGreaterThan(0);
  await page.getByRole("button", { name: `${ok}件を取り込む` }).click();
  await expect(page).toHaveURL(/\/resources\?/);
  await expect(page.getByRole("status")).toContainText(`${ok}件を取り込みました。`);
  const after = resources().map((r) => r.name);
  expect(after).toHaveLength(before + ok);
  expect(after).toContain("ひばりサロン");
  expect(after).not.toContain("まちかど図書コーナー");
  await page.getByRole("searchbox", { name: "名前・別名・説明・タグで探す" }).fill("ひばり");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page.getByTestId("resources")).toContainText("ひばりサロン");
});
