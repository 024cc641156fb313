import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

test("a staff member without the admin role is refused the admin pages", async ({ page }) => {
  await loginAsStaff(page, base(), DEMO.staff);
  await expect(page.getByRole("link", { name: "スタッフ", exact: true })).toHaveCount(0);
  for (const path of ["/admin/staff", "/admin/health-rooms", "/admin/audit"]) {
    const response = await page.goto(`${base()}${path}`);
    expect(response?.status()).toBe(403);
    await expect(page.getByText("このページを見る権限がありません。")).toBeVisible();
  }
});

test("an admin sees the admin pages, including failed logins in the audit log", async ({
  page,
}) => {
  await page.goto(`${base()}/login`);
  await page.getByLabel("ログインID").fill(DEMO.admin.login);
  await page.getByLabel("パスワード").fill("not-the-password");
  await page.getByRole("button", { name: "ログイン" }).click();
  await expect(page.getByText("ログインIDまたはパスワードが違います。")).toBeVisible();
  await loginAsStaff(page, base(), DEMO.admin);
  await page.getByRole("link", { name: "操作記録" }).click();
  await expect(page.getByRole("cell", { name: "login_failed" }).first()).toBeVisible();
});

test("eleven wrong passwords get 429 with a clear message", async ({ page }) => {
  await page.goto(`${base()}/login`);
  let lastStatus = 0;
  for (let i = 1; i <= 11; i++) {
    await page.getByLabel("ログインID").fill(DEMO.admin.login);
    await page.getByLabel("パスワード").fill(`wrong-${i}`);
    // One attempt at a time, as a person would: wait for each answer before the next.
    const [response] = await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === "POST" && new URL(r.url()).pathname.startsWith("/login"),
      ),
      page.getByRole("button", { name: "ログイン" }).click(),
    ]);
    lastStatus = response.status();
    const message =
      i <= 10 ? "ログインIDまたはパスワードが違います。" : /ログインの失敗が続いたため/;
    await expect(page.getByRole("alert")).toContainText(message);
  }
  expect(lastStatus).toBe(429);
  // Even the right password is refused for now.
  await page.getByLabel("パスワード").fill(DEMO.admin.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await expect(page.getByRole("alert")).toContainText(/ログインの失敗が続いたため/);
});
