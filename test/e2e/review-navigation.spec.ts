/**
 * The editor after client-side navigation shows the page it is on — its lines, page number,
 * writer and layout — never the page it came from; and what is approved is that page's own text.
 * Written for the defect where 「承認して次へ」 carried page A's lines onto page B and approved them
 * there (issue 8, D1): every step compares what the browser shows with what the database holds.
 */
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";
import { reviewEditor } from "./review-editor";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });
const { stored, pageIdOf, shown, expectEditorShows, waitForDemoPages } = reviewEditor(base);

test("restoring an old version shows that version's lines at once, and the details stay the page's own", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await loginAsStaff(page, base(), DEMO.staff);
  const rows = await waitForDemoPages(page);
  await rows.filter({ hasText: "こもれび 1ページ目" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("こもれび 1ページ目");
  const id = pageIdOf(page);
  const v1 = stored(id);
  expect(v1.latestVersion).toBe(1);

  const first = page.locator("input[name=line]").first();
  await first.fill("書きかえた一行目");
  await page.keyboard.press("Control+s");
  await expect(page.getByRole("status").filter({ hasText: "v2 として保存しました" })).toBeVisible();
  expect(stored(id).latestVersion).toBe(2);
  await expectEditorShows(page, id);

  await page.getByTestId("version-1").getByRole("button", { name: "この版に戻す" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "前の版を新しい版として戻しました" }),
  ).toBeVisible();
  const v3 = stored(id);
  expect(v3.latestVersion).toBe(3);
  expect(v3.lines).toEqual(v1.lines);
  const { shown: after } = await expectEditorShows(page, id);
  expect(after.lines).toEqual(v1.lines);
});

test("「承認して次へ」 opens the next page with its own lines, number, writer and layout, and approves that page's own text — within a group and across groups", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await loginAsStaff(page, base(), DEMO.staff);
  const rows = await waitForDemoPages(page);

  // Page A: つばめ 1ページ目, opened from the queue.
  await rows.filter({ hasText: "つばめ 1ページ目" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("つばめ 1ページ目");
  const a = pageIdOf(page);
  const { db: storedA } = await expectEditorShows(page, a);

  const visited = [a];
  let leaveDialog = "";
  page.on("dialog", (dialog) => {
    leaveDialog = dialog.message();
    void dialog.dismiss();
  });

  // A → B (same group), then B → C (another group): after each step the new page is its own.
  for (let step = 0; step < 2; step++) {
    const from = visited[visited.length - 1]!;
    const fromStored = stored(from);
    await page.getByRole("button", { name: /承認して次へ/ }).click();
    await expect(page).not.toHaveURL(new RegExp(`/review/pages/${from}(\\?|$)`));
    await expect(page).toHaveURL(/\/review\/pages\/\d+/);
    const next = pageIdOf(page);
    expect(visited).not.toContain(next);

    // The page approved is the one we were on, with its own text.
    const approved = stored(from);
    expect(approved.status).toBe("approved");
    expect(approved.approvedText).toBe(fromStored.lines.join("\n"));

    const { db } = await expectEditorShows(page, next);
    expect(db.lines).not.toEqual(fromStored.lines);
    // Nothing typed: leaving asks nothing.
    await page.getByRole("link", { name: "← 確認待ちの一覧へ" }).click();
    await expect(page.getByRole("heading", { name: "確認待ちのページ" })).toBeVisible();
    expect(leaveDialog).toBe("");
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(
      `${db.groupName} ${db.pageNumber}ページ目`,
    );
    expect((await shown(page)).lines).toEqual(db.lines);
    visited.push(next);
  }
  expect(stored(visited[1]!).groupName).toBe("つばめ");
  expect(stored(visited[2]!).groupName).toBe("こもれび");

  // The last page is approved with its own text too; A's text is nowhere else.
  const last = visited[2]!;
  const lastStored = stored(last);
  await page.getByRole("button", { name: /承認して次へ/ }).click();
  await expect(page).toHaveURL(/\/review\?(.*&)?done=1/);
  for (const id of visited) {
    const s = stored(id);
    expect(s.status).toBe("approved");
    expect(s.approvedText).toBe(s.lines.join("\n"));
    if (id !== a) expect(s.approvedText).not.toBe(storedA.lines.join("\n"));
  }
  expect(stored(last).approvedText).toBe(lastStored.lines.join("\n"));
});
