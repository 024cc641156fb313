import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import sharp from "sharp";
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
  // The photos wait in the tray, in the order picked, until staff send them.
  await expect(page.getByTestId("tray").locator("li")).toHaveCount(3);
  await page.getByRole("button", { name: "この順で取り込む（3枚）" }).click();
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

/** Page numbers of the group's pages by the SHA-256 of their photo, from the database. */
function numbersBySha(groupName: string) {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `select p.image_sha256 as sha, p.page_number as n, p.status from page p
           join diary_group g on g.id = p.group_id where g.name = ?`,
      )
      .all(groupName) as Array<{ sha: string; n: number; status: string }>;
    return new Map(rows.map((r) => [r.sha, r]));
  } finally {
    db.close();
  }
}

test("photos are numbered in the order picked, after staff fixed it in the tray; an approved page keeps its number and the move buttons say where a row goes", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const fixtures = path.join(ROOT, "test", "fixtures", "ocr");
  // Three photos no other test sends (a page is refused as a duplicate by its bytes).
  const files: Array<{ path: string; sha: string }> = [];
  for (const [i, name] of ["horizontal.jpg", "vertical.jpg", "horizontal.jpg"].entries()) {
    const bytes = await sharp(fs.readFileSync(path.join(fixtures, name)))
      .modulate({ brightness: 0.96 + i * 0.02 })
      .jpeg({ quality: 88 })
      .toBuffer();
    const file = path.join(TMP_DIR, `order-${Date.now()}-${i}-${name}`);
    fs.writeFileSync(file, bytes);
    files.push({ path: file, sha: crypto.createHash("sha256").update(bytes).digest("hex") });
  }
  const [a, b, c] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];

  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/scan`);
  await page.getByLabel("グループ名・ノートのラベル・ペンネームで検索").fill("こもれび");
  await page.getByRole("button", { name: "検索" }).click();
  await page.getByRole("link", { name: "こもれび" }).click();
  await expect(page.getByRole("heading", { name: "こもれび のページを取り込む" })).toBeVisible();
  // The demo notebook already has page 1.
  await expect(page.getByText("次のページ番号: 2")).toBeVisible();

  await page.getByTestId("photo-picker").setInputFiles([a.path, b.path, c.path]);
  const tray = page.getByTestId("tray");
  await expect(tray.locator("li")).toHaveCount(3);
  const names = () => tray.locator(".tray__name").allInnerTexts();
  expect(await names()).toEqual([a, b, c].map((f) => path.basename(f.path)));
  await expect(tray.getByTestId("tray-0")).toContainText("2ページ目になる予定");
  // The last photo belongs first: two steps up.
  const cName = path.basename(c.path);
  await tray.getByRole("button", { name: `${cName} を上へ` }).click();
  await tray.getByRole("button", { name: `${cName} を上へ` }).click();
  expect(await names()).toEqual([c, a, b].map((f) => path.basename(f.path)));
  await expect(tray.getByTestId("tray-0")).toContainText("2ページ目になる予定");
  // Leaving with photos in the tray asks first.
  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByRole("link", { name: "← グループを選ぶ" }).click();
  await expect.poll(() => asked).toContain("まだ取り込んでいない写真があります");
  await expect(tray.locator("li")).toHaveCount(3);

  await page.getByRole("button", { name: "この順で取り込む（3枚）" }).click();
  await expect(page.getByText(/ページ目として取り込みました/)).toHaveCount(3);
  await expect(tray).toHaveCount(0);
  const stored = numbersBySha("こもれび");
  expect([c, a, b].map((f) => stored.get(f.sha)?.n)).toEqual([2, 3, 4]);

  // The station shows them newest first; wait until OCR has read them.
  for (const n of [2, 3, 4])
    await expect(page.getByTestId(`page-${n}`).getByTestId("ocr-status")).toHaveText(
      "完了（確認待ち）",
      { timeout: 90_000 },
    );
  // The row above a row has the next page number: "↑ 上へ" on page 3 swaps it with page 4.
  const row3 = page.getByTestId("page-3");
  await expect(
    row3.getByRole("button", { name: "上へ（4ページ目と番号を入れ替える）" }),
  ).toBeVisible();
  await expect(
    row3.getByRole("button", { name: "下へ（2ページ目と番号を入れ替える）" }),
  ).toBeVisible();
  // The layout choice says what it is.
  await expect(row3.getByLabel("書き方")).toBeVisible();

  // Page 3 is approved in review; back at the station it keeps its number.
  await row3.getByRole("link", { name: "確認画面で開く →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("こもれび 3ページ目");
  const editorUrl = page.url();
  await page.getByRole("button", { name: /承認して次へ/ }).click();
  await expect(page).not.toHaveURL(editorUrl);
  await page.goto(`${base()}/scan`);
  await page.getByLabel("グループ名・ノートのラベル・ペンネームで検索").fill("こもれび");
  await page.getByRole("button", { name: "検索" }).click();
  await page.getByRole("link", { name: "こもれび" }).click();
  await expect(page.getByTestId("page-3").getByTestId("ocr-status")).toHaveText("承認済み");
  const approvedSha = a.sha;
  expect(numbersBySha("こもれび").get(approvedSha)).toMatchObject({ n: 3, status: "approved" });
  // Its neighbours cannot swap with it: the buttons towards it are off, a forced request refused.
  const down4 = page
    .getByTestId("page-4")
    .getByRole("button", { name: "下へ（3ページ目と番号を入れ替える）" });
  await expect(down4).toBeDisabled();
  await expect(
    page.getByTestId("page-2").getByRole("button", { name: "上へ（3ページ目と番号を入れ替える）" }),
  ).toBeDisabled();
  const groupUrl = page.url();
  const page4Id = await page
    .getByTestId("page-4")
    .locator("input[name=pageId]")
    .first()
    .inputValue();
  const forced = await page.request.post(groupUrl, {
    form: { intent: "earlier", pageId: page4Id },
    headers: { Origin: base() },
  });
  expect(forced.status()).toBe(400);
  expect(await forced.text()).toContain("3ページ目は確認が始まっているか承認済みのため");
  expect(numbersBySha("こもれび").get(approvedSha)).toMatchObject({ n: 3, status: "approved" });
  expect(numbersBySha("こもれび").get(b.sha)?.n).toBe(4);

  // Pages still waiting for review swap as before: page 2 with page 1.
  const down2 = page
    .getByTestId("page-2")
    .getByRole("button", { name: "下へ（1ページ目と番号を入れ替える）" });
  await expect(down2).toBeEnabled();
  await down2.click();
  await expect.poll(() => numbersBySha("こもれび").get(c.sha)?.n).toBe(1);
  await expect(page.getByTestId("page-1")).toBeVisible();
});
