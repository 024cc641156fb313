import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

// The demo data brings three photographed pages; OCR reads them when the app starts.
const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

test("a reviewer corrects two lines from the keyboard, saves, sees v2 and its diff, approves with Ctrl+Enter and lands on the next page", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAsStaff(page, base(), DEMO.staff);
  await page.getByRole("link", { name: "確認", exact: true }).click();
  await expect(page.getByRole("heading", { name: "確認待ちのページ" })).toBeVisible();
  // Wait for OCR to finish the demo pages.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("queue").locator("tbody tr")).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 90_000 });

  // The page with a 見守り flag comes first; open the first plain page instead.
  const rows = page.getByTestId("queue").locator("tbody tr");
  await expect(rows.first()).toContainText("見守り");
  await rows.nth(1).getByRole("link").click();
  await expect(page.getByRole("heading", { name: /ページ目/ })).toBeVisible();
  const firstUrl = page.url();

  const line = (i: number) => page.getByTestId(`line-${i}`).locator("input[name=line]");
  await line(0).focus();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("母の介護で、毎日ほとんど家にいます。");
  await page.keyboard.press("Enter");
  await expect(line(1)).toBeFocused();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("ゆっくり話せるのは、𠮷田さんだけ。");
  await page.keyboard.press("ArrowUp");
  await expect(line(0)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Control+s");

  await expect(page.getByRole("status").filter({ hasText: "v2 として保存しました" })).toBeVisible();
  const history = page.getByTestId("history");
  await expect(history.getByTestId("version-2")).toContainText("佐藤 保健師");
  await expect(history.getByTestId("version-1")).toContainText("自動読み取り");
  const diff = history.getByTestId("diff");
  await expect(diff).toContainText("v1 → v2");
  await expect(diff.locator("ins").filter({ hasText: "𠮷田さんだけ" })).toHaveCount(1);
  await expect(line(0)).toHaveValue("母の介護で、毎日ほとんど家にいます。");
  await expect(line(1)).toHaveValue("ゆっくり話せるのは、𠮷田さんだけ。");

  await page.keyboard.press("Control+Enter");
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page).toHaveURL(/\/review\/pages\/\d+/);
  await expect(page.getByRole("heading", { name: /ページ目/ })).toBeVisible();
  await expect(page.getByText("確認待ち", { exact: true }).first()).toBeVisible();

  // The approved page shows as approved with version 2.
  await page.goto(firstUrl);
  await expect(page.getByText(/v2 を 佐藤 保健師さんが .* に承認しました/)).toBeVisible();
});

test("clicking a line's box on the photo focuses the line; lines split and join from the keyboard; the whole-text mode saves", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/review`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("queue").locator("tbody tr").first()).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 90_000 });
  await page.getByTestId("queue").locator("tbody tr").last().getByRole("link").click();
  const lines = page.locator("input[name=line]");
  await expect(lines.first()).toBeVisible();
  const count = await lines.count();
  expect(count).toBeGreaterThan(2);

  // The photo and the lines are linked both ways.
  await page.getByTestId("box-2").click();
  await expect(lines.nth(2)).toBeFocused();
  await expect(page.getByTestId("box-2")).toHaveClass(/viewer__box--active/);

  const text = await lines.nth(2).inputValue();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Shift+Enter");
  await expect(lines).toHaveCount(count + 1);
  await expect(lines.nth(3)).toBeFocused();
  await expect(lines.nth(2)).toHaveValue(Array.from(text).slice(0, 2).join(""));
  await expect(lines.nth(3)).toHaveValue(Array.from(text).slice(2).join(""));
  await page.keyboard.press("Backspace");
  await expect(lines).toHaveCount(count);
  await expect(lines.nth(2)).toHaveValue(text);
  await expect(lines.nth(2)).toBeFocused();

  await page.getByRole("button", { name: "全文" }).click();
  const whole = page.getByRole("textbox", { name: "全文" });
  await whole.focus();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\nさいごに一行たしました");
  await page.keyboard.press("Control+s");
  await expect(
    page.getByRole("status").filter({ hasText: /v\d+ として保存しました/ }),
  ).toBeVisible();
  await page.getByRole("button", { name: "行ごと" }).click();
  await expect(lines.last()).toHaveValue("さいごに一行たしました");
  await expect(lines).toHaveCount(count + 1);

  // Unsaved lines: a link asks before leaving; approving saves them and moves on without asking.
  const here = page.url();
  await lines.first().focus();
  await page.keyboard.press("End");
  await page.keyboard.type("（追記）");
  let asked = "";
  page.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByRole("link", { name: "← 確認待ちの一覧へ" }).click();
  await expect.poll(() => asked).toContain("保存していない変更があります");
  expect(page.url()).toBe(here);
  await expect(lines.first()).toHaveValue(/（追記）$/);
  page.once("dialog", (dialog) => {
    asked = `unexpected: ${dialog.message()}`;
    void dialog.dismiss();
  });
  asked = "";
  await page.keyboard.press("Control+Enter");
  await expect(page).not.toHaveURL(here);
  expect(asked).toBe("");
});
