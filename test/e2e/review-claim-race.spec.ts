/**
 * The editor's claim heartbeat may still be on its way when 「承認して次へ」 moves to the next
 * page. The router then finishes that move with the data the heartbeat's answer reloads: if the
 * heartbeat reloaded nothing, the next page's address showed the approved page's text (seen in
 * CI). The test holds the heartbeat's answer back until the move to the next page is loading,
 * which is the order that CI ran into by chance.
 */
import type { Request, Route } from "@playwright/test";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";
import { reviewEditor } from "./review-editor";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });
const { stored, pageIdOf, expectEditorShows, waitForDemoPages } = reviewEditor(base);

/** A promise with its resolve function, to release a held request from the test. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const isClaim = (request: Request) =>
  request.method() === "POST" && /(^|&)intent=claim(&|$)/.test(request.postData() ?? "");

test("a claim answered while 「承認して次へ」 is loading the next page leaves the next page its own", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await loginAsStaff(page, base(), DEMO.staff);
  const rows = await waitForDemoPages(page);

  // Every claim from now on waits until the test lets it through.
  const claimGate = gate();
  let claimsHeld = 0;
  await page.route("**/review/pages/**", async (route: Route) => {
    if (!isClaim(route.request())) return route.fallback();
    claimsHeld++;
    await claimGate.opened;
    await route.continue();
  });

  await rows.first().getByRole("link").click();
  await expect(page.getByRole("button", { name: /承認して次へ/ })).toBeEnabled();
  const from = pageIdOf(page);
  const fromStored = stored(from);
  await expect.poll(() => claimsHeld).toBe(1);

  // The next page's data request is held too, so the claim's answer lands while it loads.
  const nextGate = gate();
  let nextRequested = "";
  await page.route(/\/review\/pages\/\d+\.data/, async (route: Route) => {
    const request = route.request();
    if (request.method() !== "GET" || request.url().includes(`/review/pages/${from}.data`))
      return route.fallback();
    if (!nextRequested) {
      nextRequested = request.url();
      await nextGate.opened;
    }
    await route.continue();
  });

  await page.getByRole("button", { name: /承認して次へ/ }).click();
  await expect.poll(() => nextRequested, { timeout: 20_000 }).not.toBe("");
  const claimAnswered = page.waitForResponse((response) => isClaim(response.request()));
  claimGate.open();
  await claimAnswered;
  // The router finishes the move once the claim's answer is in (the next page's own request
  // is still held): the address changes now, and what it shows must be the next page.
  await expect(page).not.toHaveURL(new RegExp(`/review/pages/${from}(\\?|$)`));
  await expect(page).toHaveURL(/\/review\/pages\/\d+/);
  const next = pageIdOf(page);
  nextGate.open();
  expect(stored(from).status).toBe("approved");
  expect(stored(from).approvedText).toBe(fromStored.lines.join("\n"));
  // What the next page's address shows is the next page, compared with the database.
  await page.unrouteAll({ behavior: "wait" });
  const { db } = await expectEditorShows(page, next);
  expect(db.lines).not.toEqual(fromStored.lines);
  expect(db.status).toBe("needs_review");
});
