import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

test("staff create a cohort, register three people, form a group, record a handoff and see the due date", async ({
  page,
}) => {
  await loginAsStaff(page, base(), DEMO.staff);

  // A cohort, with a wrong date first: a Japanese message and nothing created.
  await page.getByRole("link", { name: "期", exact: true }).click();
  await page.getByLabel("名前").fill("2027年度");
  await page.getByLabel("開始日").fill("2027-04-01");
  await page.getByLabel("終了日").fill("2027-03-01");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("終了日は開始日より後にしてください。")).toBeVisible();
  await expect(page.getByRole("cell", { name: "2027年度" })).toHaveCount(0);
  await page.getByLabel("終了日").fill("2028-03-31");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByRole("heading", { name: "参加者" })).toBeVisible();

  // Three participants; the first attempt misses the real name.
  const people = [
    ["試作 一", "いち"],
    ["試作 二", "にい"],
    ["試作 三", "さん"],
  ];
  for (const [i, [realName, penName]] of people.entries()) {
    await page.getByRole("link", { name: "参加者を登録" }).click();
    await page.getByLabel("期").selectOption({ label: "2027年度" });
    if (i === 0) {
      await page.getByLabel("ペンネーム（グループに表示）").fill(penName!);
      await page.getByRole("button", { name: "登録する" }).click();
      await expect(page.getByText("入力してください。")).toBeVisible();
    }
    await page.getByLabel("氏名（スタッフのみ閲覧）").fill(realName!);
    await page.getByLabel("ペンネーム（グループに表示）").fill(penName!);
    await page.getByLabel("年代").selectOption({ label: "20代" });
    await page.getByLabel("スタッフが日記を読むことへの同意日").fill("2027-04-01");
    await page.getByRole("button", { name: "登録する" }).click();
    await expect(page.getByText("登録しました。")).toBeVisible();
    await page.getByRole("link", { name: "← 参加者" }).click();
  }
  await expect(page.getByRole("link", { name: "さん" })).toBeVisible();

  // A group of the three.
  await page.getByRole("navigation").getByRole("link", { name: "グループ" }).click();
  await page.getByRole("link", { name: "グループをつくる" }).click();
  await page.getByLabel("期").selectOption({ label: "2027年度" });
  await expect(page.getByLabel("1番目のメンバー")).toContainText("いち");
  await page.getByLabel("グループ名").fill("ほしぞら");
  await page.getByLabel("ノートの表紙のラベル").fill("ほしぞらノート");
  await page.getByLabel("受け渡しの間隔（日）").fill("10");
  await page.getByLabel("1番目のメンバー").selectOption({ label: "いち（試作 一）" });
  await page.getByLabel("2番目のメンバー").selectOption({ label: "にい（試作 二）" });
  await page.getByLabel("3番目のメンバー").selectOption({ label: "さん（試作 三）" });
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByRole("heading", { name: /ほしぞら/ })).toBeVisible();
  await page.getByRole("button", { name: "活動を始める" }).click();
  await expect(page.getByText("活動中")).toBeVisible();

  // Record the handoff: the first member in rotation is suggested.
  await expect(page.getByLabel(/いちさんが受け取る（次の順番）/)).toBeChecked();
  await page.getByRole("button", { name: "受け渡しを記録する" }).click();
  await expect(page.getByText(/受け渡しを記録しました。返却予定日:/)).toBeVisible();
  await expect(page.getByTestId("holder")).toHaveText("いち");
  const due = (await page.getByTestId("due").textContent())!.trim();
  expect(due).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2}/);

  // The dashboard lists the notebook with that due date (10 days: not yet within 7 days of due).
  await page.getByRole("link", { name: "ダッシュボード" }).click();
  await expect(page.getByRole("heading", { name: "ダッシュボード" })).toBeVisible();
  const recent = page.getByRole("table").getByRole("row", { name: /ほしぞら/ });
  await expect(recent).toContainText("いち");

  // Move the due date inside the week by recording it explicitly on the next handoff.
  await page.getByRole("link", { name: "ほしぞら" }).first().click();
  await page.getByLabel(/にいさんが受け取る/).check();
  const soon = new Date(Date.now() + 3 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10);
  await page.getByLabel("返却予定日（空なら間隔から自動で計算）").fill(soon);
  await page.getByRole("button", { name: "受け渡しを記録する" }).click();
  await expect(page.getByTestId("holder")).toHaveText("にい");
  await page.getByRole("link", { name: "ダッシュボード" }).click();
  const dueSoon = page.getByRole("region", { name: "7日以内に返却予定のノート" });
  await expect(dueSoon).toContainText("ほしぞら");
  await expect(dueSoon).toContainText("にい");
  const [y, m, d] = soon.split("-").map(Number);
  await expect(dueSoon).toContainText(`${y}/${m}/${d}`);
});
