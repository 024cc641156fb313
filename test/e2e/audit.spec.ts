/**
 * The administrator's audit log in a real browser (issue 15): filter by who, what, which record
 * and date, see exactly the rows the database holds for those filters (with and without
 * JavaScript), get a Japanese message for a filter that cannot be read, and download the same
 * rows as CSV — an export that then shows up in the log itself.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import { parse } from "csv-parse/sync";
import type { Page } from "@playwright/test";
import {
  DEMO,
  demoServerForThisFile,
  expect,
  expectNoSeriousViolations,
  loginAsStaff,
  test,
} from "./fixtures";

const base = demoServerForThisFile();

/** Today in Japan, as the date fields take it. */
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The ids the table shows, top to bottom. */
async function shownIds(page: Page): Promise<number[]> {
  const ids = await page
    .locator("tbody tr[data-audit-id]")
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-audit-id"))));
  return ids;
}

const ORDER = "order by at desc, id desc";
/** The start of today in Japan, and of tomorrow, as stored (UTC ISO text). */
const dayStart = new Date(`${today}T00:00:00+09:00`).toISOString();
const nextDayStart = new Date(new Date(dayStart).getTime() + 86_400_000).toISOString();

test("filter the log by who, what, record and date, and export what is shown as CSV", async ({
  page,
  browser,
}) => {
  // Something to find: the staff member logs in.
  const other = await browser.newContext();
  await loginAsStaff(await other.newPage(), base(), DEMO.staff);
  await other.close();
  const hoken = query<{ id: number; display_name: string }>(
    "select id, display_name from staff_user where login = ?",
    DEMO.staff.login,
  )[0]!;

  await loginAsStaff(page, base(), DEMO.admin);
  await page.getByRole("navigation").getByRole("link", { name: "操作記録" }).click();
  await expect(page.getByRole("heading", { name: "操作記録", level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Who + what + date range.
  const filters = page.getByRole("search", { name: "操作記録の絞り込み" });
  await filters.getByLabel("だれが").selectOption({ label: `${hoken.display_name}（hoken）` });
  await filters.getByLabel("操作").selectOption({ label: "スタッフがログイン (staff.login)" });
  await filters.getByLabel("いつから").fill(today);
  await filters.getByLabel("いつまで").fill(today);
  await filters.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(
    new RegExp(`who=staff%3A${hoken.id}&action=staff.login&entity=&id=&from=${today}&to=${today}`),
  );
  const logins = query<{ id: number }>(
    `select id from audit_log where actor_staff_id = ? and action = 'staff.login'
       and at >= ? and at < ? ${ORDER}`,
    hoken.id,
    dayStart,
    nextDayStart,
  );
  expect(logins.length).toBeGreaterThan(0);
  await expect(page.getByTestId("audit-count")).toHaveText(`${logins.length}件`);
  expect(await shownIds(page)).toEqual(logins.map((r) => r.id));
  await expect(page.locator("tbody tr").first()).toContainText(hoken.display_name);
  await expect(page.locator("tbody tr").first()).toContainText("スタッフがログイン");
  // The fields keep the filters of the page shown.
  await expect(filters.getByLabel("いつから")).toHaveValue(today);

  // A record: everything about the participant はな, reached from a row's record link.
  const hana = query<{ id: number }>("select id from participant where pen_name = 'はな'")[0]!;
  await page.goto(`${base()}/admin/audit`);
  await filters.getByLabel("記録の種類").selectOption({ label: "参加者" });
  await filters.getByLabel("記録の番号").fill(String(hana.id));
  await filters.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/entity=participant&id=\d+/);
  const aboutHana = query<{ id: number }>(
    `select id from audit_log where entity_type = 'participant' and entity_id = ? ${ORDER}`,
    String(hana.id),
  );
  expect(aboutHana.length).toBeGreaterThan(0);
  await expect(page.getByTestId("audit-count")).toHaveText(`${aboutHana.length}件`);
  expect(await shownIds(page)).toEqual(aboutHana.map((r) => r.id));
  await expect(
    page
      .locator("tbody tr")
      .first()
      .getByRole("link", { name: `参加者 #${hana.id}` }),
  ).toBeVisible();

  // Filters that cannot be read: a message in Japanese beside each, and no rows.
  await filters.getByLabel("記録の番号").fill("abc");
  await filters.getByLabel("いつから").fill("2026-12-05");
  await filters.getByLabel("いつまで").fill("2026-12-01");
  await filters.getByRole("button", { name: "絞り込む" }).click();
  await expect(page.getByRole("alert")).toContainText("絞り込みの条件に読み取れないものがあります");
  await expect(page.getByText("記録の番号は数字で入れてください（例：123）。")).toBeVisible();
  await expect(
    page.getByText("「いつまで」は「いつから」と同じ日か、それより後にしてください。"),
  ).toBeVisible();
  await expect(filters.getByLabel("記録の番号")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("tbody tr")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "この条件でCSVを書き出す" })).toHaveCount(0);
  await expectNoSeriousViolations(page);

  // Back to the participant's record, and download it as CSV.
  await page.goto(`${base()}/admin/audit?entity=participant&id=${hana.id}`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "この条件でCSVを書き出す" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`audit-log-${today}.csv`);
  const bytes = fs.readFileSync((await file.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [heading, ...records] = parse(bytes.subarray(3).toString("utf8")) as string[][];
  expect(heading![0]).toBe("日時（日本時間）");
  expect(heading!.at(-1)).toBe("番号");
  expect(records.map((r) => Number(r.at(-1)))).toEqual(aboutHana.map((r) => r.id));
  expect(new Set(records.map((r) => r[7]))).toEqual(new Set(["参加者"]));

  // The export is in the log: who exported, how many rows, which filters.
  await page.goto(`${base()}/admin/audit?action=audit_log.export`);
  const exports = query<{ id: number; detail: string; actor_staff_id: number }>(
    `select id, detail, actor_staff_id from audit_log where action = 'audit_log.export' ${ORDER}`,
  );
  expect(exports).toHaveLength(1);
  expect(JSON.parse(exports[0]!.detail)).toMatchObject({
    count: aboutHana.length,
    query: `entity=participant&id=${hana.id}`,
  });
  expect(await shownIds(page)).toEqual([exports[0]!.id]);
  await expect(page.locator("tbody tr").first()).toContainText("操作記録を書き出し");
  await expect(page.locator("tbody tr").first()).toContainText("山田 管理者");
});

test("the filters work without JavaScript, and their pages keep them", async ({ browser }) => {
  // A busy month in the log: 70 approvals by the staff member on 15 January (Japan), between
  // 23:30 on the 14th and 00:30 on the 16th, one every 40 minutes — the first and last outside.
  const hoken = query<{ id: number }>(
    "select id from staff_user where login = ?",
    DEMO.staff.login,
  )[0]!;
  const db = new Database(base.databasePath(), { fileMustExist: true });
  try {
    const insert = db.prepare(
      `insert into audit_log (at, actor_type, actor_staff_id, action, entity_type, entity_id)
       values (?, 'staff', ?, 'page.approve', 'page', '1')`,
    );
    const start = Date.parse("2026-01-14T23:30:00+09:00");
    for (let i = 0; i < 74; i++)
      insert.run(new Date(start + i * 20 * 60_000).toISOString(), hoken.id);
  } finally {
    db.close();
  }

  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base()}/login`);
  await page.getByLabel("ログインID").fill(DEMO.admin.login);
  await page.getByLabel("パスワード").fill(DEMO.admin.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.goto(`${base()}/admin/audit`);
  const filters = page.getByRole("search", { name: "操作記録の絞り込み" });
  await filters.getByLabel("だれが").selectOption(`staff:${hoken.id}`);
  await filters.getByLabel("操作").selectOption("page.approve");
  await filters.getByLabel("いつから").fill("2026-01-15");
  await filters.getByLabel("いつまで").fill("2026-01-15");
  await filters.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/from=2026-01-15&to=2026-01-15/);
  const inDay = query<{ id: number }>(
    `select id from audit_log where actor_staff_id = ? and action = 'page.approve'
       and at >= '2026-01-14T15:00:00.000Z' and at < '2026-01-15T15:00:00.000Z' ${ORDER}`,
    hoken.id,
  );
  // 00:10 … 23:50 on the 15th, every 20 minutes.
  expect(inDay).toHaveLength(72);
  await expect(page.getByTestId("audit-count")).toHaveText("72件");
  await expect(page.getByText("72件 — 1ページ目")).toBeVisible();
  expect(await shownIds(page)).toEqual(inDay.slice(0, 50).map((r) => r.id));
  await page.getByRole("link", { name: "次へ" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText("72件 — 2ページ目")).toBeVisible();
  expect(new URL(page.url()).searchParams.get("from")).toBe("2026-01-15");
  expect(await shownIds(page)).toEqual(inDay.slice(50).map((r) => r.id));
  await expect(page.getByRole("link", { name: "次へ" })).toHaveCount(0);
  await page.getByRole("link", { name: "前へ" }).click();
  expect(await shownIds(page)).toEqual(inDay.slice(0, 50).map((r) => r.id));
  await context.close();
});
