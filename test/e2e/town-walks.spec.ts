/**
 * A town walk (まち歩き) the way staff do it: three resources are registered in the browser, a walk
 * through their area is planned from the demo health room, its A4 sheet is opened (and checked in
 * print media), and the results are recorded in two rounds, one with a mistake first — after
 * every step the screen is compared with what the database holds.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Page } from "@playwright/test";
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

const AREA = "まち歩きテスト地区";
// The demo's さくら町まちの保健室 is at 34.6291, 136.1089.
const ROOM = { lat: 34.6291, lng: 136.1089 };

async function createResource(
  page: Page,
  r: { name: string; address: string; lat?: number; lng?: number; phone?: string; status?: string },
) {
  await page.goto(`${base()}/resources/new`);
  await page.getByLabel("名前", { exact: true }).fill(r.name);
  await page.getByLabel(/^地区/).fill(AREA);
  await page.getByLabel(/^住所/).fill(r.address);
  if (r.lat !== undefined) await page.getByLabel(/^緯度/).fill(String(r.lat));
  if (r.lng !== undefined) await page.getByLabel(/^経度/).fill(String(r.lng));
  if (r.phone) await page.getByLabel(/^電話/).fill(r.phone);
  if (r.status) await page.getByLabel(/^状態/).selectOption({ label: r.status });
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(r.name);
  return Number(/\/resources\/(\d+)/.exec(page.url())![1]);
}

type StopRow = {
  id: number;
  resource_id: number;
  position: number;
  name: string;
  result: string | null;
  note: string;
};
const stopsOf = (walkId: number) =>
  query<StopRow>(
    `select t.id, t.resource_id, t.position, r.name, t.result, t.note from town_walk_stop t
       join resource r on r.id = t.resource_id where t.walk_id = ? order by t.position`,
    walkId,
  );
type ResourceRow = {
  name: string;
  phone: string;
  status: string;
  verified_on: string | null;
  verified_how: string | null;
};
const resourceRow = (id: number) =>
  query<ResourceRow>(
    "select name, phone, status, verified_on, verified_how from resource where id = ?",
    id,
  )[0]!;
const walkStatus = (walkId: number) =>
  query<{ status: string }>("select status from town_walk where id = ?", walkId)[0]!.status;

test("staff plan a walk, print its sheet and record the results", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await loginAsStaff(page, base(), DEMO.staff);

  // Three resources of one area, registered out of walking order.
  const far = await createResource(page, {
    name: "川辺の体操",
    address: "架空市川辺町3-1",
    lat: ROOM.lat + 0.006,
    lng: ROOM.lng,
    phone: "0742-00-1111",
    status: "要確認",
  });
  const unlocated = await createResource(page, {
    name: "うわさの朝市",
    address: "",
    status: "活動中",
  });
  const near = await createResource(page, {
    name: "ひなた食堂",
    address: "架空市さくら町2-5",
    lat: ROOM.lat + 0.001,
    lng: ROOM.lng + 0.0005,
  });

  // Plan: the area's candidates are listed with the unverified ones ticked.
  await page
    .getByRole("navigation", { name: "メインメニュー" })
    .getByRole("link", { name: "まち歩き" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "まち歩き" })).toBeVisible();
  await page.getByLabel("地区", { exact: true }).selectOption(AREA);
  await page.getByRole("button", { name: "候補を表示" }).click();
  const candidates = page.getByTestId("walk-candidates").locator("tbody tr");
  await expect(candidates).toHaveCount(3);
  for (const name of ["川辺の体操", "うわさの朝市", "ひなた食堂"])
    await expect(page.getByRole("checkbox", { name })).toBeChecked();
  await expect(candidates.filter({ hasText: "川辺の体操" })).toContainText("要確認");
  await page
    .getByLabel("出発する保健室")
    .selectOption({ label: "さくら町まちの保健室（さくら地区）" });
  await page.getByRole("button", { name: "計画して道順を組む" }).click();
  await expect(page.getByText("まち歩きを計画しました。")).toBeVisible();
  const walkId = Number(/\/walks\/(\d+)/.exec(page.url())![1]);

  // The screen lists the stops in the order the database keeps: nearest first, unlocated last.
  const planned = stopsOf(walkId);
  expect(planned.map((s) => s.name)).toEqual(["ひなた食堂", "川辺の体操", "うわさの朝市"]);
  expect(planned.map((s) => s.position)).toEqual([1, 2, 3]);
  const cards = page.getByTestId("walk-stops").locator(":scope > li");
  await expect(cards).toHaveCount(3);
  for (const [i, s] of planned.entries()) {
    await expect(cards.nth(i).locator("h3")).toContainText(`${s.position} ${s.name}`);
  }
  await expect(page.getByTestId("walk-status")).toHaveText("予定");
  expect(walkStatus(walkId)).toBe("planned");

  // The A4 sheet: one row per stop in order, with address, schedule, checks and boxes.
  await page.getByRole("link", { name: "印刷用シート" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`まち歩きシート　${AREA}`);
  const rows = page.getByTestId("sheet-row");
  await expect(rows).toHaveCount(3);
  for (const [i, s] of planned.entries()) {
    await expect(rows.nth(i).locator("td").first()).toHaveText(String(s.position));
    await expect(rows.nth(i)).toContainText(s.name);
  }
  await expect(rows.nth(0)).toContainText("架空市さくら町2-5");
  await expect(rows.nth(1)).toContainText("0742-00-1111");
  await expect(rows.nth(2)).toContainText("住所未登録");
  await expect(rows.nth(2)).toContainText("地図の位置を確かめる");
  await expect(rows.nth(0).locator(".tick")).toHaveCount(4 + 3); // results + checks
  await expect(page.getByTestId("route-sketch")).toBeVisible();
  await expect(page.getByTestId("sketch-stop")).toHaveCount(2);
  await expect(page.getByText("地図の位置がない1か所は略図になく、最後に回ります。")).toBeVisible();

  // In print media the site's header and the toolbar go, and the sheet uses print sizes.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "印刷する" })).toBeHidden();
  await expect(page.getByTestId("walk-sheet")).toBeVisible();
  expect(await page.locator(".walk-sheet").evaluate((el) => getComputedStyle(el).fontSize)).toBe(
    "13.3333px",
  );
  const out = testInfo.outputPath();
  fs.mkdirSync(out, { recursive: true });
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: path.join(out, "walk-sheet-print.png"), fullPage: true });
  await page.pdf({ path: path.join(out, "walk-sheet.pdf"), preferCSSPageSize: true });
  await page.emulateMedia({ media: "screen" });

  // Record two results: verified, and changed with corrected fields; the third stays open.
  await page.getByRole("link", { name: "結果の記録へ" }).click();
  const card = (resourceId: number) =>
    page.getByTestId(`stop-${planned.find((s) => s.resource_id === resourceId)!.id}`);
  await card(near).getByRole("radio", { name: "確認できた" }).check();
  await card(far).getByRole("radio", { name: "変わっていた" }).check();
  await card(far).getByLabel("名前", { exact: true }).fill("川辺の体操クラブ");
  await card(far).getByLabel("電話", { exact: true }).fill("0742-33-4444");
  await card(far).getByLabel(/^メモ/).fill("名前が変わっていた");
  await page.getByRole("button", { name: "結果を保存する" }).click();
  await expect(page.getByText("結果を記録しました。")).toBeVisible();

  const today = query<{ d: string }>("select date('now', '+9 hours') as d")[0]!.d;
  // Registered by hand as 要確認, found in the field: now 活動中.
  expect(resourceRow(near)).toMatchObject({
    status: "active",
    verified_on: today,
    verified_how: "walk",
  });
  expect(resourceRow(far)).toMatchObject({
    name: "川辺の体操クラブ",
    phone: "0742-33-4444",
    status: "active",
    verified_on: today,
    verified_how: "walk",
  });
  expect(
    query<{ field: string }>(
      "select field from resource_change where resource_id = ? and source = 'walk' order by field",
      far,
    ).map((c) => c.field),
  ).toEqual(["name", "phone", "status", "verified_on"]);
  let recorded = stopsOf(walkId);
  expect(recorded.map((s) => s.result)).toEqual(["verified", "changed", null]);
  for (const s of recorded.filter((r) => r.result)) {
    const result = page.getByTestId(`stop-${s.id}`).getByTestId("stop-result");
    await expect(result).toContainText(s.result === "verified" ? "確認できた" : "変わっていた");
    await expect(result).toContainText(s.note);
  }
  await expect(page.getByTestId("walk-status")).toHaveText("予定");
  expect(walkStatus(walkId)).toBe("planned");

  // A mistake: "changed" with the name emptied is refused next to the field, and nothing is kept.
  const last = card(unlocated);
  await last.getByRole("radio", { name: "変わっていた" }).check();
  await last.getByLabel("名前", { exact: true }).fill("");
  await page.getByRole("button", { name: "結果を保存する" }).click();
  await expect(page.getByRole("alert")).toContainText("入力内容を確認してください。");
  await expect(last.getByText("入力してください。")).toBeVisible();
  expect(stopsOf(walkId)).toEqual(recorded);
  expect(resourceRow(unlocated)).toMatchObject({ name: "うわさの朝市", status: "active" });

  // Then the real result: not found. The resource goes back to 要確認 and the walk is done.
  await last.getByRole("radio", { name: "見つからなかった" }).check();
  await last.getByLabel(/^メモ/).fill("それらしい市はなかった");
  await page.getByRole("button", { name: "結果を保存する" }).click();
  await expect(page.getByText("すべての場所の結果を記録しました。")).toBeVisible();
  recorded = stopsOf(walkId);
  expect(recorded.map((s) => s.result)).toEqual(["verified", "changed", "not_found"]);
  expect(resourceRow(unlocated)).toMatchObject({ status: "to_verify", verified_on: null });
  expect(walkStatus(walkId)).toBe("done");
  await expect(page.getByTestId("walk-status")).toHaveText("記録済み");
  await expect(last.getByTestId("stop-result")).toContainText("見つからなかった");
  await expect(page.getByRole("button", { name: "結果を保存する" })).toHaveCount(0);

  // The list shows the walk as recorded.
  await page.getByRole("link", { name: "まち歩きの一覧へ" }).click();
  const listed = page.getByTestId("walk-list").locator("tbody tr").filter({ hasText: AREA });
  await expect(listed).toContainText("記録済み");
  await expect(listed).toContainText("3か所中3か所を記録");
});
