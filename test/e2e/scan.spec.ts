import fs from "node:fs";
import path from "node:path";
import { ROOT, TMP_DIR } from "../helpers/paths";
import { sidewaysWithExif } from "../helpers/images";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

test("staff upload three photos and watch them reach done without reloading; a sideways photo is shown upright", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const fixtures = path.join(ROOT, "test", "fixtures", "ocr");
  const sideways = path.join(TMP_DIR, `sideways-${Date.now()}.jpg`);
  fs.writeFileSync(
    sideways,
    await sidewaysWithExif(fs.readFileSync(path.join(fixtures, "horizontal.jpg"))),
  );

  await loginAsStaff(page, base(), DEMO.staff);
  await page.getByRole("link", { name: "取り込み" }).click();
  await page.getByLabel("グループ名・ノートのラベル・ペンネームで検索").fill("ゲン");
  await page.getByRole("button", { name: "検索" }).click();
  await page.getByRole("link", { name: "ひまわり" }).click();
  await expect(page.getByRole("heading", { name: "ひまわり のページを取り込む" })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { stayedHere: boolean }).stayedHere = true));

  await page
    .getByTestId("photo-picker")
    .setInputFiles([
      path.join(fixtures, "horizontal.jpg"),
      path.join(fixtures, "vertical.jpg"),
      sideways,
    ]);
  await expect(page.getByText(/ページ目として取り込みました/)).toHaveCount(3);
  const rows = page.locator("[data-testid^=page-]");
  await expect(rows).toHaveCount(3);
  for (const n of [1, 2, 3]) {
    await expect(page.getByTestId(`page-${n}`).getByTestId("ocr-status")).toHaveText(
      "完了（確認待ち）",
      {
        timeout: 90_000,
      },
    );
  }
  expect(
    await page.evaluate(() => (window as unknown as { stayedHere?: boolean }).stayedHere),
  ).toBe(true);

  // Every page shows its thumbnail, and the sideways photo (EXIF orientation 6) stands upright.
  for (const n of [1, 2, 3]) {
    const img = page.getByTestId(`page-${n}`).getByRole("img");
    await expect(img).toHaveJSProperty("complete", true);
    const size = await img.evaluate((el: HTMLImageElement) => ({
      w: el.naturalWidth,
      h: el.naturalHeight,
    }));
    expect(size.w, `page ${n}`).toBeGreaterThan(0);
  }
  const third = await page
    .getByTestId("page-3")
    .getByRole("img")
    .evaluate((el: HTMLImageElement) => ({ w: el.naturalWidth, h: el.naturalHeight }));
  expect(third.h).toBeGreaterThan(third.w);
  await expect(page.getByTestId("page-2")).toContainText("縦書き");
});
