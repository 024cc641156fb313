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
