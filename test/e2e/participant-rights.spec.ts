/**
 * Participants' rights as staff use them (decisions 025, 026): the disclosure download (saved,
 * unzipped and its index opened from disk with no server), 利用停止 of all of a writer's pages and
 * its undo, and the two-step deletion (confirmation, then the pen name typed) — after every step
 * the screen is compared with what the database holds.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { TMP_DIR } from "../helpers/paths";
import {
  DEMO,
  demoServerForThisFile,
  expect,
  expectNoSeriousViolations,
  loginAsStaff,
  test,
} from "./fixtures";

const base = demoServerForThisFile();

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const participantByPenName = (penName: string) =>
  query<{
    id: number;
    pen_name: string;
    pages_hidden_at: string | null;
    deleted_at: string | null;
  }>(
    "select id, pen_name, pages_hidden_at, deleted_at from participant where pen_name = ?",
    penName,
  )[0];

const auditCount = (action: string, id: number) =>
  query<{ n: number }>(
    "select count(*) as n from audit_log where action = ? and entity_id = ?",
    action,
    String(id),
  )[0]!.n;

test("staff download a participant's disclosure archive, and its index reads offline", async ({
  page,
}) => {
  const hana = participantByPenName("はな")!;
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/participants/${hana.id}`);
  await expect(
    page.getByRole("heading", { name: "本人からの請求（開示・利用停止・消去）" }),
  ).toBeVisible();
  expect(auditCount("participant.disclose", hana.id)).toBe(0);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "開示資料をダウンロード（ZIP）" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^disclosure-${hana.id}-\\d{8}\\.zip$`));
  const dir = fs.mkdtempSync(path.join(TMP_DIR, "e2e-disclosure-"));
  const zip = path.join(dir, "d.zip");
  await download.saveAs(zip);
  execFileSync("unzip", ["-q", zip, "-d", dir]);
  const folder = fs.readdirSync(dir).find((n) => n.startsWith("disclosure-"))!;
  expect(auditCount("participant.disclose", hana.id)).toBe(1);
  // The staff page is still there, unchanged.
  await expect(page.getByRole("heading", { level: 1 })).toContainText("はな");

  // The index, opened from the unzipped folder as the participant would.
  await page.goto(`file://${path.join(dir, folder, "index.html")}`);
  await expect(
    page.getByRole("heading", { level: 1, name: "はなさんについて保有している情報" }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "ノートの受け渡し" })).toBeVisible();
  // Every handoff to or from はな in the demo's custody history, one row each.
  const handoffs = query<{ n: number }>(
    "select count(*) as n from handoff where from_participant_id = ? or to_participant_id = ?",
    hana.id,
    hana.id,
  )[0]!.n;
  expect(handoffs).toBeGreaterThan(0);
  await expect(page.locator("#handoffs tbody tr")).toHaveCount(handoffs);
  await expect(page.getByText("架空 花子")).toBeVisible();
  await expect(page.getByRole("heading", { name: "この資料に含めていないもの" })).toBeVisible();
  await expectNoSeriousViolations(page);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("staff stop showing all of a writer's pages, and show them again", async ({ page }) => {
  const hana = participantByPenName("はな")!;
  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/participants/${hana.id}`);
  const state = page.getByTestId("pages-hidden-state");
  await expect(state).toHaveText("この人のページは、通常どおりグループに表示されています。");

  await page
    .getByRole("button", { name: "この人のページをすべてグループに表示しない（利用停止）" })
    .click();
  await expect(page.getByRole("status")).toHaveText(
    "利用停止にしました。この人のページはグループに表示されません。",
  );
  await expect(state).toContainText("この人のページをグループに表示していません（利用停止）");
  expect(participantByPenName("はな")!.pages_hidden_at).not.toBeNull();
  expect(auditCount("participant.pages_hide", hana.id)).toBe(1);

  await page.getByRole("button", { name: "ページの表示を再開する" }).click();
  await expect(page.getByRole("status")).toHaveText("表示を再開しました。");
  await expect(state).toHaveText("この人のページは、通常どおりグループに表示されています。");
  expect(participantByPenName("はな")!.pages_hidden_at).toBeNull();
  expect(auditCount("participant.pages_show", hana.id)).toBe(1);
});

test("deleting a participant takes two steps, and waits while they are in an active group", async ({
  page,
}) => {
  await loginAsStaff(page, base(), DEMO.staff);
  // In an active group: the confirmation says what to do first, and offers no delete button.
  const hana = participantByPenName("はな")!;
  await page.goto(`${base()}/participants/${hana.id}`);
  await page.getByRole("link", { name: "この参加者を削除する…" }).click();
  await expect(page.getByRole("heading", { name: "参加者の削除（消去）" })).toBeVisible();
  await expect(page.getByText("ひまわり のメンバーです。")).toBeVisible();
  await expect(page.getByRole("button", { name: "完全に削除する" })).toHaveCount(0);

  // A participant who asked to be deleted, registered but never placed in a group.
  await page.goto(`${base()}/participants/new`);
  await page.getByLabel("氏名（スタッフのみ閲覧）").fill("削除 依頼子");
  await page.getByLabel("ペンネーム（グループに表示）").fill("いらいこ");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByRole("status")).toHaveText("登録しました。");
  const person = participantByPenName("いらいこ")!;
  expect(person.deleted_at).toBeNull();

  // Step 1: the confirmation lists what goes and what stays; nothing has changed yet.
  await page.getByRole("link", { name: "この参加者を削除する…" }).click();
  const confirm = page.getByRole("region", { name: "参加者の削除（消去）" });
  await expect(confirm).toContainText("この人が書いたページ 0 枚");
  await expect(confirm).toContainText("残すもの");
  await expectNoSeriousViolations(page);
  expect(participantByPenName("いらいこ")!.deleted_at).toBeNull();

  // Step 2, with the wrong name: refused, nothing deleted.
  const name = confirm.getByLabel("確認のため、ペンネーム「いらいこ」を入力してください");
  await name.fill("いらいこX");
  await confirm.getByRole("button", { name: "完全に削除する" }).click();
  await expect(page.getByText("ペンネームが一致しません。何も削除していません。")).toBeVisible();
  expect(participantByPenName("いらいこ")!.deleted_at).toBeNull();
  expect(auditCount("participant.delete", person.id)).toBe(0);

  // Step 2, with the pen name: deleted; the page shows only the placeholder.
  await confirm.getByLabel("確認のため、ペンネーム「いらいこ」を入力してください").fill("いらいこ");
  await confirm.getByRole("button", { name: "完全に削除する" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "削除された参加者" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("参加者を削除しました");
  expect(participantByPenName("いらいこ")).toBeUndefined();
  const [row] = query<{ pen_name: string; real_name: string; deleted_at: string | null }>(
    "select pen_name, real_name, deleted_at from participant where id = ?",
    person.id,
  );
  expect(row).toMatchObject({ pen_name: "削除された参加者", real_name: "削除された参加者" });
  expect(row!.deleted_at).not.toBeNull();
  expect(auditCount("participant.delete", person.id)).toBe(1);
  // Gone from the list.
  await page.goto(`${base()}/participants`);
  await expect(page.getByRole("link", { name: "いらいこ" })).toHaveCount(0);
});
