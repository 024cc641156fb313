/**
 * The participant side on a phone (360×800, touch), issue 14: a printed card's QR code logs in,
 * the group page shows what the database holds for the group, a photo opens and zooms, a writer
 * hides their own page (gone for the whole group at once, on the staff dashboard, shown again
 * only by staff), and a new code ends the old card, the old QR link and the old session.
 * axe runs on every participant page.
 */
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import Database from "better-sqlite3";
import jsQR from "jsqr";
import sharp from "sharp";
import {
  DEMO,
  expect,
  expectNoSeriousViolations,
  loginAsStaff,
  test,
  demoServerForThisFile,
} from "./fixtures";

// Demo pages approved by the demo's finisher (after OCR): ひまわり gets はな's and ゲン's pages.
const base = demoServerForThisFile({
  env: { OCR_RUNNER: "on", OCR_WORKERS: "2", DEMO_SEEDS: "on" },
});

const PHONE = { viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true };

function query<T>(sql: string, ...params: unknown[]): T[] {
  // A read-only handle may not open while the server's first write creates the WAL index.
  for (let attempt = 0; ; attempt++) {
    let db: Database.Database | undefined;
    try {
      db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
      return db.prepare(sql).all(...params) as T[];
    } catch (error) {
      if (attempt >= 20 || (error as { code?: string }).code !== "SQLITE_CANTOPEN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    } finally {
      db?.close();
    }
  }
}

function participantId(penName: string) {
  return query<{ id: number }>(`select id from participant where pen_name = ?`, penName)[0]!.id;
}

/** The pages the group may see, by the database: approved, not hidden, no open 見守り flag. */
function visiblePages(groupId: number) {
  return query<{ id: number; pageNumber: number; author: number | null; text: string }>(
    `select p.id, p.page_number as pageNumber, p.author_participant_id as author, t.text
       from page p join transcription t on t.page_id = p.id and t.version = p.approved_version
      where p.group_id = ? and p.status = 'approved' and p.hidden = 0
        and not exists (select 1 from watch_flag f where f.page_id = p.id and f.status = 'open')
      order by coalesce(p.entry_date, p.uploaded_on) desc, p.page_number desc`,
    groupId,
  );
}

/** Staff issue a new code for a participant and read the printed card: its code and QR link. */
async function printCard(staff: Page, penName: string) {
  await staff.goto(`${base()}/participants/${participantId(penName)}`);
  await staff.getByRole("button", { name: /コードを発行する/ }).click();
  const card = staff.getByTestId("participant-card");
  await expect(card).toBeVisible();
  const code = (await staff.getByTestId("issued-code").innerText()).trim();
  await expect(card.getByTestId("card-code")).toHaveText(code.replace(/-/g, ""));
  await expect(card).toContainText(penName);
  // As printed: only the card is on the sheet.
  await staff.emulateMedia({ media: "print" });
  await expect(staff.locator(".site-header")).toBeHidden();
  await expect(staff.getByRole("heading", { name: "参加者の編集" })).toBeHidden();
  await expect(card).toBeVisible();
  const png = await card.locator(".participant-card__qr").screenshot();
  await staff.emulateMedia({ media: "screen" });
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height);
  expect(decoded, "the card's QR code can be read").not.toBeNull();
  return { code, link: decoded!.data };
}

async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(PHONE);
  return { context, page: await context.newPage() };
}

/** The group page shows exactly the group's visible pages, newest first, with their text. */
async function expectTimeline(page: Page, groupId: number) {
  const pages = visiblePages(groupId);
  await expect(page.getByTestId("page-count")).toHaveText(
    `グループで読めるページ: ${pages.length}ページ`,
  );
  const shown = page.locator("article.diary-page");
  await expect(shown).toHaveCount(pages.length);
  for (const [i, p] of pages.entries()) {
    const article = shown.nth(i);
    await expect(article).toHaveAttribute("data-testid", `diary-page-${p.id}`);
    await expect(article).toContainText(`${p.pageNumber}ページ目`);
    const lines = await article
      .locator(".diary-page__text p")
      .evaluateAll((els) => els.map((e) => (e.textContent ?? "").replace(/\u00a0/g, "")));
    expect(lines.join("\n")).toBe(p.text);
  }
  return pages;
}

test("a participant on a phone: QR card login, timeline, photo, hiding an own page, a new code ends the old card", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await loginAsStaff(staff, base(), DEMO.staff);

  const hana = participantId("はな");
  const gen = participantId("ゲン");
  const groupId = query<{ groupId: number }>(
    `select group_id as groupId from group_member where participant_id = ? and left_on is null`,
    hana,
  )[0]!.groupId;
  // The demo's finisher approves はな's and ゲン's pages once OCR has read them.
  await expect
    .poll(() => visiblePages(groupId).length, { timeout: 150_000, intervals: [1000] })
    .toBe(2);

  // A card for はな: its QR link carries the code in the fragment, never in the path or query.
  const hanaCard = await printCard(staff, "はな");
  expect(hanaCard.link).toBe(`${base()}/code#code=${hanaCard.code}`);

  // The QR link logs in; the code leaves the address bar.
  const a = await phone(browser);
  await a.page.goto(hanaCard.link);
  await expect(a.page).toHaveURL(`${base()}/g/${groupId}`);
  await expect(a.page.getByRole("heading", { level: 1 })).toHaveText("ひまわり");
  expect(await a.page.evaluate(() => window.location.hash)).toBe("");
  // Nor is it in the history: one step back is the entrance without it, which sends a
  // participant who is in on to their group.
  await a.page.goBack();
  expect(a.page.url()).not.toContain(hanaCard.code);
  await expect(a.page).toHaveURL(`${base()}/g/${groupId}`);
  const pages = await expectTimeline(a.page, groupId);
  await expectNoSeriousViolations(a.page);
  // With the text at 200 %, nothing runs off the side of a 360-px screen.
  const bigText = await a.page.addStyleTag({ content: "html { font-size: 200% !important; }" });
  expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    360,
  );
  await expect(a.page.getByRole("heading", { name: "いまノートを持っている人" })).toBeInViewport();
  await bigText.evaluate((el) => (el as HTMLElement).remove());
  // Nothing staff-only reaches the page.
  for (const text of ["架空 花子", "架空 一郎", "架空 春香", "見守り"])
    await expect(a.page.locator("body")).not.toContainText(text);
  // Only the writer is offered to hide a page: はな's page has the offer, ゲン's has not.
  const own = pages.find((p) => p.author === hana)!;
  const others = pages.find((p) => p.author === gen)!;
  await expect(
    a.page.getByTestId(`diary-page-${own.id}`).getByText("このページを非表示にしてほしい"),
  ).toBeVisible();
  await expect(
    a.page.getByTestId(`diary-page-${others.id}`).getByText("このページを非表示にしてほしい"),
  ).toHaveCount(0);

  // The photo on tap: a dialog with the photo, zoom, the next page by a swipe, the text below.
  await a.page
    .getByRole("link", { name: `${pages[0]!.pageNumber}ページ目の写真を大きく見る` })
    .tap();
  const viewer = a.page.getByRole("dialog");
  await expect(viewer.getByRole("heading", { level: 2 })).toHaveText(
    `${pages[0]!.pageNumber}ページ目の写真`,
  );
  const photo = viewer.getByRole("img");
  await expect(photo).toHaveAttribute("alt", /文字は写真の下にあります/);
  await expect
    .poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await expect(viewer.getByRole("region", { name: "このページの文字" })).toContainText(
    pages[0]!.text.split("\n")[0]!,
  );
  const before = (await photo.boundingBox())!.width;
  await viewer.getByRole("button", { name: "拡大" }).tap();
  await expect(viewer.getByTestId("viewer-zoom")).toHaveText("150%");
  await expect.poll(async () => (await photo.boundingBox())!.width).toBeGreaterThan(before * 1.4);
  await viewer.getByRole("button", { name: "縮小" }).tap();
  await expect(viewer.getByTestId("viewer-zoom")).toHaveText("100%");
  await expectNoSeriousViolations(a.page);
  // A real touch swipe (not a mouse drag): the browser must leave the sideways move to us.
  const frame = viewer.getByTestId("viewer-frame");
  const box = (await frame.boundingBox())!;
  const touch = await a.context.newCDPSession(a.page);
  const middle = box.y + box.height / 2;
  const at = (f: number) => [{ x: box.x + box.width * f, y: middle }];
  await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0.85) });
  for (const f of [0.75, 0.6, 0.45, 0.3, 0.15])
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(f) });
  await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect(viewer.getByRole("heading", { level: 2 })).toHaveText(
    `${pages[1]!.pageNumber}ページ目の写真`,
  );
  await expect(viewer.getByRole("region", { name: "このページの文字" })).toContainText(
    pages[1]!.text.split("\n")[0]!,
  );
  await a.page.keyboard.press("Escape");
  await expect(viewer).toBeHidden();

  // The notebook comes to はな: her page says it is her turn, with the date and a calendar file.
  await staff.goto(`${base()}/groups/${groupId}`);
  await staff.getByLabel(/はなさんが受け取る/).check();
  const due = new Date(Date.now() + 9 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
  await staff.getByLabel("返却予定日（空なら間隔から自動で計算）").fill(due);
  await staff.getByRole("button", { name: "受け渡しを記録する" }).click();
  await expect(staff.getByTestId("holder")).toHaveText("はな");
  await a.page.reload();
  const custody = a.page.getByTestId("custody");
  await expect(custody).toContainText("あなたの番です");
  const [y, m, d] = due.split("-").map(Number);
  await expect(custody).toContainText(`${y}/${m}/${d}`);
  const download = a.page.waitForEvent("download");
  await custody.getByRole("link", { name: "カレンダーに追加（.ics）" }).tap();
  const ics = fs.readFileSync((await (await download).path())!, "utf8");
  expect(ics).toContain(`DTSTART;VALUE=DATE:${due.replace(/-/g, "")}`);
  expect(ics).toContain("さくら町まちの保健室");
  await expectNoSeriousViolations(a.page);

  // ゲン, another member, sees both pages.
  const genCard = await printCard(staff, "ゲン");
  const b = await phone(browser);
  await b.page.goto(`${base()}/code`);
  await b.page.getByLabel("アクセスコード").fill(genCard.code);
  await b.page.getByRole("button", { name: "入る" }).tap();
  await expect(b.page).toHaveURL(`${base()}/g/${groupId}`);
  await expectTimeline(b.page, groupId);

  // はな asks to hide her page: gone at once, for her and for ゲン.
  const ownArticle = a.page.getByTestId(`diary-page-${own.id}`);
  await ownArticle.getByText("このページを非表示にしてほしい").tap();
  await expect(ownArticle.getByText(/すぐにグループのメンバーから見えなくなります/)).toBeVisible();
  await ownArticle.getByRole("button", { name: "非表示にする" }).tap();
  await expect(a.page.getByRole("status")).toContainText("ページを非表示にしました");
  await expect(a.page.getByTestId(`diary-page-${own.id}`)).toHaveCount(0);
  const stored = query<{ hidden: number; by: number | null }>(
    `select hidden, hide_requested_by_participant_id as by from page where id = ?`,
    own.id,
  )[0]!;
  expect(stored).toEqual({ hidden: 1, by: hana });
  expect((await expectTimeline(a.page, groupId)).map((p) => p.id)).toEqual([others.id]);
  await b.page.reload();
  await expectTimeline(b.page, groupId);
  await expect(b.page.getByTestId(`diary-page-${own.id}`)).toHaveCount(0);
  // Its photo is gone too.
  const image = await b.page.request.get(`${base()}/g/${groupId}/pages/${own.id}/image`);
  expect(image.status()).toBe(404);

  // Staff see the request on the dashboard and show the page again from the page itself.
  await staff.goto(`${base()}/`);
  const requests = staff.getByTestId("dashboard-hide-requests");
  await expect(requests).toContainText("はなさん");
  await requests.getByRole("link").first().click();
  const panel = staff.getByTestId("visibility");
  await expect(panel).toContainText("はなさんの依頼で");
  staff.once("dialog", (dialog) => void dialog.accept());
  await panel.getByRole("button", { name: "グループに再表示する" }).click();
  await expect(staff.getByRole("status").filter({ hasText: "再表示しました" })).toBeVisible();
  expect(query<{ hidden: number }>(`select hidden from page where id = ?`, own.id)[0]!.hidden).toBe(
    0,
  );
  const audit = query<{ action: string }>(
    `select action from audit_log where entity_type = 'page' and entity_id = ? order by id`,
    String(own.id),
  ).map((r) => r.action);
  expect(audit).toEqual(expect.arrayContaining(["page.hide_request", "page.show"]));
  await b.page.reload();
  await expect(b.page.getByTestId(`diary-page-${own.id}`)).toBeVisible();
  await staff.goto(`${base()}/`);
  await expect(staff.getByTestId("dashboard-hide-requests")).toHaveCount(0);

  // Another group's page is a 404 for ゲン, and the attempt is in the audit log.
  const otherGroup = query<{ id: number }>(
    `select id from diary_group where id != ? order by id limit 1`,
    groupId,
  )[0]!.id;
  const denied = await b.page.goto(`${base()}/g/${otherGroup}`);
  expect(denied?.status()).toBe(404);
  expect(
    query<{ n: number }>(
      `select count(*) as n from audit_log where action = 'participant.access_denied'
          and actor_participant_id = ? and entity_id = ?`,
      gen,
      String(otherGroup),
    )[0]!.n,
  ).toBe(1);

  // A lost card: a new code for はな. Her session ends, and the old QR link no longer works.
  const newCard = await printCard(staff, "はな");
  expect(newCard.code).not.toBe(hanaCard.code);
  await a.page.goto(`${base()}/g/${groupId}`);
  await expect(a.page).toHaveURL(/\/code/);
  const c = await phone(browser);
  await c.page.goto(hanaCard.link);
  await expect(c.page.getByText(/このQRコードは使えません/)).toBeVisible();
  expect(await c.page.evaluate(() => window.location.hash)).toBe("");
  await expectNoSeriousViolations(c.page);
  // The new card works; logging out ends the session.
  await c.page.goto(newCard.link);
  await expect(c.page).toHaveURL(`${base()}/g/${groupId}`);
  await c.page.getByRole("button", { name: "ログアウト" }).tap();
  await expect(c.page).toHaveURL(`${base()}/code`);
  await c.page.goto(`${base()}/g/${groupId}`);
  await expect(c.page).toHaveURL(/\/code\?redirectTo=/);

  for (const context of [a.context, b.context, c.context, staffContext]) await context.close();
});
