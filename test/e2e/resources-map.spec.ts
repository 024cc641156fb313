/**
 * The resource map on a closed network: staff create a resource, set its location by clicking the
 * map picker on its page and save, then find it on /resources/map — with every tile request
 * refused — as a marker on the plain background with the offline notice, the health room and the
 * area name, and open its card. After every step the screen is compared with the database.
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

type Row = {
  id: number;
  name: string;
  area: string;
  address: string;
  lat: number | null;
  lng: number | null;
};

const OFFLINE =
  "地図の画像が読み込めません（閉じたネットワークなど）。位置と名前だけを表示しています。";

test("staff set a resource's location on the map picker and find it on the map with tiles blocked", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  // A closed network: nothing but this server answers (tiles included).
  const own = new URL(base()).host;
  const refused: string[] = [];
  await page.route(
    (url) => url.host !== own,
    (route) => {
      refused.push(route.request().url());
      return route.abort("internetdisconnected");
    },
  );
  await loginAsStaff(page, base(), DEMO.staff);

  // Create a resource by hand.
  const name = "ひだまり地図カフェ";
  await page.goto(`${base()}/resources/new`);
  await page.getByLabel("名前", { exact: false }).first().fill(name);
  await page.getByRole("combobox", { name: "種類" }).selectOption({ label: "場所" });
  await page.getByLabel("地区").fill("さくら地区");
  await page.getByLabel("住所").fill("架空市さくら町2-4 旧駄菓子屋");
  await page.getByLabel("日時（自由記述）").fill("毎週水曜の午後");
  await page.getByRole("combobox", { name: "状態" }).selectOption({ label: "活動中" });
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page).toHaveURL(/\/resources\/\d+\?done=save$/);
  const id = Number(/\/resources\/(\d+)/.exec(page.url())![1]);
  expect(
    query<Row>("select id, name, area, address, lat, lng from resource where id = ?", id),
  ).toEqual([
    { id, name, area: "さくら地区", address: "架空市さくら町2-4 旧駄菓子屋", lat: null, lng: null },
  ]);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByText("地図の位置なし")).toBeVisible();

  // The picker works without tiles: offline notice, then a click sets lat/lng in the form.
  const picker = page.getByTestId("location-picker");
  await expect(page.getByTestId("picker-offline")).toHaveText(OFFLINE);
  await expect(picker.locator(".leaflet-container, .leaflet-pane").first()).toBeAttached();
  await expect(page.getByTestId("picker-position")).toHaveText(
    "まだ位置がありません。地図をクリックしてください。",
  );
  const save = page.getByRole("button", { name: "この位置を保存" });
  await expect(save).toBeDisabled();
  const box = (await picker.boundingBox())!;
  await picker.click({ position: { x: box.width / 2 + 70, y: box.height / 2 - 50 } });
  const lat = page.locator("form.resource-form input[name=lat]");
  const lng = page.locator("form.resource-form input[name=lng]");
  await expect(lat).not.toHaveValue("");
  const [latValue, lngValue] = [Number(await lat.inputValue()), Number(await lng.inputValue())];
  // The picker opened on the area's other located resources and its health room: the click is
  // among them.
  const [bounds] = query<{ minLat: number; maxLat: number; minLng: number; maxLng: number }>(
    `select min(lat) as minLat, max(lat) as maxLat, min(lng) as minLng, max(lng) as maxLng from (
       select lat, lng from resource where area = 'さくら地区' and lat is not null and id != ?
       union all select lat, lng from health_room where lat is not null)`,
    id,
  );
  expect(latValue).toBeGreaterThan(bounds!.minLat - 0.05);
  expect(latValue).toBeLessThan(bounds!.maxLat + 0.05);
  expect(lngValue).toBeGreaterThan(bounds!.minLng - 0.05);
  expect(lngValue).toBeLessThan(bounds!.maxLng + 0.05);
  await expect(page.getByTestId("picker-position")).toHaveText(
    `選んだ位置：緯度 ${latValue.toFixed(6)}、経度 ${lngValue.toFixed(6)}`,
  );
  expect(query<Row>("select lat from resource where id = ?", id)).toEqual([{ lat: null }]);

  await save.click();
  await expect(page.getByText("保存しました。")).toBeVisible();
  const [saved] = query<Row>("select lat, lng from resource where id = ?", id);
  expect(saved).toEqual({ lat: latValue, lng: lngValue });
  await expect(page.locator(".facts")).toContainText(`${saved!.lat}, ${saved!.lng}`);
  expect(
    query<{ field: string }>(
      "select field from resource_change where resource_id = ? and field in ('lat', 'lng') and old_value is null and new_value is not null order by field",
      id,
    ),
  ).toEqual([{ field: "lat" }, { field: "lng" }]);

  // The whole map: counts as the database has them, offline notice, health room, area name.
  const response = await page.goto(`${base()}/resources/map`);
  expect(response!.headers()["content-security-policy"]).toContain(
    "img-src 'self' data: blob: https://tile.openstreetmap.org;",
  );
  const [counts] = query<{ total: number; located: number }>(
    "select count(*) as total, count(lat) as located from resource",
  );
  await expect(page.getByRole("heading", { level: 1, name: "地域資源の地図" })).toBeVisible();
  await expect(page.getByTestId("map-counts")).toHaveText(
    `${counts!.total}件中 ${counts!.located}件に位置あり`,
  );
  await expect(page.getByTestId("map-offline")).toHaveText(OFFLINE);
  await expect(page.getByTitle("まちの保健室：さくら町まちの保健室")).toBeVisible();
  await expect(page.locator(".map-area-label", { hasText: "さくら地区" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "凡例" })).toBeVisible();
  expect(refused.some((u) => u.includes("tile.openstreetmap.org"))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("resources-map-offline.png"), fullPage: true });

  // Filtered by its name: one marker; its card shows what the database holds.
  await page.getByRole("searchbox", { name: "名前・別名・説明・タグで探す" }).fill("ﾋﾀﾞﾏﾘ地図");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/\/resources\/map\?q=/);
  await expect(page.getByTestId("map-counts")).toHaveText("1件中 1件に位置あり");
  const marker = page.getByRole("button", { name, exact: true });
  await expect(marker).toBeVisible();
  await expect(page.getByTestId("map-offline")).toBeVisible();
  await marker.click();
  const card = page.getByTestId("map-card");
  await expect(card.getByRole("heading", { name })).toBeFocused();
  const [row] = query<Row & { status: string; schedule_text: string }>(
    "select area, address, status, schedule_text from resource where id = ?",
    id,
  );
  for (const text of [row!.area, row!.address, row!.schedule_text, "場所", "活動中"])
    await expect(card).toContainText(text);
  await page.screenshot({ path: testInfo.outputPath("resources-map-card.png"), fullPage: true });
  await card.getByRole("link", { name: "詳しく見る・直す" }).click();
  await expect(page).toHaveURL(new RegExp(`/resources/${id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
});
