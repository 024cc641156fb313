/**
 * A success notice appears together with the data it announces, never beside the old data
 * (issue 8, D5). The reload of the page's data is slowed down on purpose, as on a slow line, and
 * the page itself records what the heading said at the moment the notice appeared.
 */
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

test("「保存しました」 shows only once the page shows what was saved, even on a slow line", async ({
  page,
}) => {
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/groups`);
  // あおぞら is the demo group still being formed, with its three members.
  await page.getByRole("link", { name: "あおぞら" }).first().click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("編成中");

  // Every data request after the change answers 600 ms late.
  await page.route(/\.data(\?|$)/, async (route) => {
    if (route.request().method() === "GET") await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  // Note what the heading says whenever a notice appears.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { noticeSeen: string[] }).noticeSeen = seen;
    new MutationObserver(() => {
      const notice = document.querySelector(".alert--ok[role=status]");
      if (notice)
        seen.push(`${notice.textContent} | ${document.querySelector("h1")?.textContent ?? ""}`);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  await page.getByRole("button", { name: "活動を始める" }).click();
  await expect(page.getByRole("status").filter({ hasText: "保存しました" })).toBeVisible();
  await expect(heading).toContainText("活動中");
  const seen = await page.evaluate(
    () => (window as unknown as { noticeSeen: string[] }).noticeSeen,
  );
  expect(seen.length).toBeGreaterThan(0);
  for (const moment of seen) {
    expect(moment).toContain("保存しました");
    expect(moment, "the notice appeared beside the old heading").not.toContain("編成中");
  }
});
