import { DEMO, demoServerForThisFile, expect, test } from "./fixtures";

// Its own file, so its own server: no other test's failed logins count against the account.
const base = demoServerForThisFile();

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
