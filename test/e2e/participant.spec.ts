import { DEMO, expect, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("a participant enters with a code, sees their group, and gets 404 for another group", async ({
  page,
}) => {
  await page.goto(`${base()}/code`);
  await page.getByLabel("アクセスコード").fill("wrong-code-1234");
  await page.getByRole("button", { name: "入る" }).click();
  await expect(page.getByText(/アクセスコードが正しくありません/)).toBeVisible();

  // Typed in lower case with spaces, as people do on phones.
  await page
    .getByLabel("アクセスコード")
    .fill(DEMO.participantCode.toLowerCase().replace(/-/g, " "));
  await page.getByRole("button", { name: "入る" }).click();
  await expect(page).toHaveURL(/\/g\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ひまわり");
  const members = page
    .getByRole("region", { name: "メンバー（ノートを回す順）" })
    .getByRole("listitem");
  await expect(members).toHaveText(["はな（あなた）", "ゲン", "ハル"]);
  await expect(page.getByRole("region", { name: "いまノートを持っている人" })).toContainText(
    "ハル",
  );
  await expect(page.getByRole("region", { name: "受け渡しの場所" })).toContainText(
    "さくら町まちの保健室",
  );
  // Real names never reach a participant.
  for (const realName of ["架空 花子", "架空 一郎", "架空 春香"]) {
    await expect(page.locator("body")).not.toContainText(realName);
  }

  const ownId = Number(new URL(page.url()).pathname.split("/").pop());
  for (const other of [ownId + 1, ownId + 2, 9999]) {
    const response = await page.goto(`${base()}/g/${other}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("ページが見つかりません。")).toBeVisible();
  }
  // Staff pages do not exist for a participant (decision 016).
  for (const path of ["/participants", "/seeds", "/review"]) {
    const staffPage = await page.goto(`${base()}${path}`);
    expect(staffPage?.status(), path).toBe(404);
    await expect(page.getByText("ページが見つかりません。")).toBeVisible();
  }
});
