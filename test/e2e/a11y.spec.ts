import type { Page } from "@playwright/test";
import {
  DEMO,
  expect,
  expectNoSeriousViolations,
  loginAsStaff,
  test,
  demoServerForThisFile,
} from "./fixtures";

// The demo data brings three photographed pages; OCR reads them when the app starts.
const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

async function openQueueWhenRead(page: Page) {
  await page.goto(`${base()}/review`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("queue").locator("tbody tr")).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 90_000 });
}

test("the review queue and the page editor pass axe; the photo frame pans and zooms from the keyboard", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await loginAsStaff(page, base(), DEMO.staff);
  await openQueueWhenRead(page);
  await expectNoSeriousViolations(page);

  // The first plain page (the flagged one comes first).
  await page.getByTestId("queue").locator("tbody tr").nth(1).getByRole("link").click();
  await expect(page.getByRole("heading", { name: /ページ目/ })).toBeVisible();
  const frame = page.getByRole("region", { name: "ページの写真" });
  // The straightened page comes first, with the line boxes on it.
  await expect(frame).toHaveAttribute("data-view", "crop");
  await expect(frame.locator("img")).toHaveAttribute("src", /size=crop/);
  await expect(page.getByRole("button", { name: "ページだけ" })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect(page.getByTestId("box-0")).toBeVisible();
  await expect
    .poll(() => frame.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await expectNoSeriousViolations(page);
  await page.screenshot({ path: test.info().outputPath("editor-crop.png") });

  // Keyboard: Tab from the last zoom button reaches the frame; + zooms, an arrow pans.
  await page.getByRole("button", { name: "全体" }).focus();
  await page.keyboard.press("Tab");
  await expect(frame).toBeFocused();
  expect(await frame.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
  await expect(page.getByText("矢印キー 移動、＋／− 拡大・縮小、0 全体")).toBeVisible();
  const zoomLevel = page.getByTestId("zoom-level");
  await expect(zoomLevel).toHaveText("拡大率 100%");
  const scroll = () => frame.evaluate((el) => ({ left: el.scrollLeft, top: el.scrollTop }));
  await page.keyboard.press("+");
  await expect(zoomLevel).toHaveText("拡大率 150%");
  const zoomed = await scroll();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  await expect.poll(async () => (await scroll()).left).toBeGreaterThan(zoomed.left);
  await expect.poll(async () => (await scroll()).top).toBeGreaterThan(zoomed.top);
  await page.keyboard.press("-");
  await expect(zoomLevel).toHaveText("拡大率 100%");
  await page.keyboard.press("+");
  await page.keyboard.press("0");
  await expect(zoomLevel).toHaveText("拡大率 100%");
  await page.screenshot({ path: test.info().outputPath("editor-frame-focused.png") });

  // The keys stay with the line editor while a line has the focus.
  const firstLine = page.getByTestId("line-0").locator("input[name=line]");
  await firstLine.focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("line-1").locator("input[name=line]")).toBeFocused();
  await expect(zoomLevel).toHaveText("拡大率 100%");

  // One click to the original photo and back.
  await page.getByRole("button", { name: "元の写真" }).click();
  await expect(frame).toHaveAttribute("data-view", "photo");
  await expect(frame.locator("img")).toHaveAttribute("src", /size=view/);
  await expect(page.getByTestId("box-0")).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "ページだけ" }).click();
  await expect(frame).toHaveAttribute("data-view", "crop");

  // Clicking a box on the crop still focuses its line.
  await page.getByTestId("box-2").click();
  await expect(page.getByTestId("line-2").locator("input[name=line]")).toBeFocused();
  await expect(page.getByTestId("box-2")).toHaveClass(/viewer__box--active/);
});

test("the scanning station passes axe", async ({ page }) => {
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/scan`);
  await expectNoSeriousViolations(page);
  await page
    .getByRole("link", { name: /ひまわり/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/scan\/\d+$/);
  await expectNoSeriousViolations(page);
});

test("the participant's group page passes axe", async ({ page }) => {
  await page.goto(`${base()}/code`);
  await page.getByLabel("アクセスコード").fill(DEMO.participantCode);
  await page.getByRole("button", { name: "入る" }).click();
  await expect(page).toHaveURL(/\/g\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ひまわり");
  await expectNoSeriousViolations(page);
});
