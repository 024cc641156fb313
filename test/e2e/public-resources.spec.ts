/**
 * The public resource list as a resident meets it: staff create a public, active resource; a
 * visitor with no login (a browser context of their own) finds it on /public/resources, without
 * any staff navigation, and in the public CSV; staff make it staff-only; the visitor reloads and
 * it is gone from the page and the export. After every step the database is compared too.
 */
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

type Row = { name: string; status: string; visibility: string; area: string };

test("a resource staff make public appears on the public list, and disappears when made staff-only", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await loginAsStaff(page, base(), DEMO.staff);

  const name = "ひだまり公開テスト食堂";
  await page.goto(`${base()}/resources/new`);
  await page.getByLabel("名前", { exact: false }).first().fill(name);
  await page.getByRole("combobox", { name: "種類" }).selectOption({ label: "場所" });
  await page.getByLabel("地区").fill("公開テスト地区");
  await page.getByLabel("住所").fill("架空市ひだまり町1-2");
  await page.getByLabel("日時の規則").fill("毎週木 11:00-14:00");
  await page.getByLabel("費用").fill("おとな300円");
  await page.getByRole("combobox", { name: "状態" }).selectOption({ label: "活動中" });
  await page.getByRole("combobox", { name: "公開" }).selectOption({ label: "一般に公開" });
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/resources\/\d+\?done=save$/);
  const id = Number(/\/resources\/(\d+)/.exec(page.url())![1]);
  const row = () =>
    query<Row>("select name, status, visibility, area from resource where id = ?", id);
  expect(row()).toEqual([{ name, status: "active", visibility: "public", area: "公開テスト地区" }]);

  // A visitor: a browser of their own, never logged in.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${base()}/public/resources`);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("地域の居場所・活動の一覧");
  await expect(visitor.getByRole("navigation", { name: "メインメニュー" })).toHaveCount(0);
  const card = visitor.locator(".public-resource", { hasText: name });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("毎週木曜 11:00〜14:00");
  await expect(card).toContainText("架空市ひだまり町1-2");
  await expect(card).toContainText("おとな300円");
  await expect(card.getByRole("link", { name: "地図アプリで開く" })).toHaveAttribute(
    "href",
    `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent("架空市ひだまり町1-2")}`,
  );
  await expect(visitor.getByRole("heading", { level: 2, name: "公開テスト地区" })).toBeVisible();
  // The count is what the database holds as public and active.
  const [counted] = query<{ n: number }>(
    "select count(*) as n from resource where visibility = 'public' and status = 'active'",
  );
  await expect(visitor.getByTestId("public-total")).toHaveText(`${counted!.n}件`);
  // A kana/width-folded search finds it.
  await visitor.getByLabel("ことばで探す").fill("ﾋﾀﾞﾏﾘ公開");
  await visitor.getByRole("button", { name: "探す" }).click();
  await expect(visitor).toHaveURL(/\?q=/);
  await expect(visitor.locator(".public-resource")).toHaveCount(1);
  await expect(visitor.locator(".public-resource")).toContainText(name);
  const csv = await visitorContext.request.get(`${base()}/public/resources/export.csv`);
  expect(await csv.text()).toContain(name);

  // Staff make it staff-only.
  await page.getByRole("combobox", { name: "公開" }).selectOption({ label: "スタッフのみ" });
  // The page already says 保存しました。 after the creation (?done=save): wait for this save's answer.
  const saved = page.waitForResponse(
    (r) =>
      r.request().method() === "POST" && new URL(r.url()).pathname.startsWith(`/resources/${id}`),
  );
  await page.getByRole("button", { name: "保存する", exact: true }).click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByText("保存しました。")).toBeVisible();
  await expect(page.getByRole("combobox", { name: "公開" })).toHaveValue("staff");
  expect(row()).toEqual([{ name, status: "active", visibility: "staff", area: "公開テスト地区" }]);

  // The visitor reloads: gone from the search, the whole list and the export.
  await visitor.reload();
  await expect(visitor.locator(".public-resource")).toHaveCount(0);
  await expect(visitor.getByText("条件に合うものはありません。")).toBeVisible();
  await visitor.goto(`${base()}/public/resources`);
  await expect(visitor.getByText(name)).toHaveCount(0);
  await expect(visitor.getByRole("heading", { level: 2, name: "公開テスト地区" })).toHaveCount(0);
  const [after] = query<{ n: number }>(
    "select count(*) as n from resource where visibility = 'public' and status = 'active'",
  );
  expect(after!.n).toBe(counted!.n - 1);
  await expect(visitor.getByTestId("public-total")).toHaveText(`${after!.n}件`);
  const csvAfter = await visitorContext.request.get(`${base()}/public/resources/export.csv`);
  expect(await csvAfter.text()).not.toContain(name);
  await visitorContext.close();
});
