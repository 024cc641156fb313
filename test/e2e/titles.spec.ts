/**
 * Page titles come from the message catalogues like every other text: Japanese by default,
 * English once the language is switched, on full page loads and on client-side navigation.
 */
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

test("page titles follow the chosen language", async ({ page }) => {
  await page.goto(`${base()}/login`);
  await expect(page).toHaveTitle("ログイン | 交換日記");

  await loginAsStaff(page, base(), DEMO.staff);
  await expect(page).toHaveTitle("ダッシュボード | 交換日記");
  await page.getByRole("navigation").getByRole("link", { name: "グループ" }).click();
  await expect(page).toHaveTitle("グループ | 交換日記");
  await page.getByRole("link", { name: "ひまわり", exact: true }).click();
  await expect(page.getByRole("heading", { name: /ひまわり/ })).toBeVisible();
  await expect(page).toHaveTitle("グループ | 交換日記");

  // The language form sets a cookie and comes back to the same page, now in English.
  await page.getByLabel("言語").selectOption("en");
  await page.getByRole("button", { name: "切り替え" }).click();
  await expect(page.getByRole("button", { name: "Switch" })).toBeVisible();
  await expect(page).toHaveTitle("Group | Exchange Diary");

  await page.getByRole("navigation").getByRole("link", { name: "Groups" }).click();
  await expect(page).toHaveTitle("Groups | Exchange Diary");
  await page.getByRole("navigation").getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveTitle("Dashboard | Exchange Diary");

  // A full page load is rendered in English by the server too.
  await page.goto(`${base()}/review`);
  await expect(page).toHaveTitle("Pages to review | Exchange Diary");
  await page.goto(`${base()}/participants`);
  await expect(page).toHaveTitle("Participants | Exchange Diary");
});
