import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

test("two reviewers on one page: the second save is refused, shows the other's change and keeps the text", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await loginAsStaff(first, base(), DEMO.staff);
  await loginAsStaff(second, base(), DEMO.admin);

  await first.goto(`${base()}/review`);
  await expect(async () => {
    await first.reload();
    await expect(first.getByTestId("queue").locator("tbody tr")).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 90_000 });
  await first.getByTestId("queue").locator("tbody tr").last().getByRole("link").click();
  await expect(first.locator("input[name=line]").first()).toBeVisible();
  await second.goto(first.url());
  // The second reviewer is told who is already on the page.
  await expect(second.getByTestId("claimed-by-other")).toContainText(
    "佐藤 保健師さんがこのページを確認中です",
  );

  const line = (p: typeof first) => p.locator("input[name=line]").first();
  await line(first).fill("さいしょの人のなおし");
  await first.keyboard.press("Control+s");
  await expect(
    first.getByRole("status").filter({ hasText: "v2 として保存しました" }),
  ).toBeVisible();

  await line(second).fill("あとの人のなおし");
  await second.keyboard.press("Control+s");
  const conflict = second.getByTestId("conflict");
  await expect(conflict).toContainText("保存できませんでした");
  await expect(conflict).toContainText("佐藤 保健師さんが");
  // Their change, as a diff: what they added is marked as added.
  await expect(conflict.locator("ins").first()).toBeVisible();
  expect((await conflict.locator("ins").allTextContents()).join("")).toContain("さいしょ");
  // Nothing of the second reviewer's is lost: their text waits in the panel...
  await expect(conflict.getByRole("textbox")).toHaveValue(/^あとの人のなおし/);
  // ...while the editor now shows the first reviewer's version.
  await expect(line(second)).toHaveValue("さいしょの人のなおし");

  await conflict.getByRole("button", { name: "自分の内容を新しい版として保存する" }).click();
  await expect(
    second.getByRole("status").filter({ hasText: "v3 として保存しました" }),
  ).toBeVisible();
  await expect(line(second)).toHaveValue("あとの人のなおし");
  await expect(second.getByTestId("history").getByTestId("version-2")).toContainText("佐藤 保健師");
  await expect(second.getByTestId("history").getByTestId("version-3")).toContainText("山田 管理者");
});
