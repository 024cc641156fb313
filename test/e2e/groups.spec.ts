/**
 * The group page's member forms. Written for the defect where one failed 「交代」 opened the
 * replace form, with the error, on every member row (issue 9): only the row whose replacement
 * failed may show it, and nothing is written.
 */
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile();

/** Everything that a replacement writes: the group's membership rows and their audit entries. */
function stored(groupName: string) {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    const group = db.prepare(`select id from diary_group where name = ?`).get(groupName) as {
      id: number;
    };
    const members = db
      .prepare(
        `select id, participant_id, position, joined_on, left_on, left_reason
           from group_member where group_id = ? order by id`,
      )
      .all(group.id);
    const audits = db
      .prepare(
        `select count(*) as n from audit_log
          where entity_type = 'diary_group' and entity_id = ? and action like 'group.member%'`,
      )
      .get(group.id) as { n: number };
    return { members, memberAudits: audits.n };
  } finally {
    db.close();
  }
}

test("a failed replacement shows its form and error on that member's row only, and changes nothing", async ({
  page,
}) => {
  await loginAsStaff(page, base(), DEMO.staff);
  const before = stored("ひまわり");

  await page.getByRole("navigation").getByRole("link", { name: "グループ" }).click();
  await expect(page.getByRole("heading", { name: "グループ", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "ひまわり", exact: true }).click();
  await expect(page.getByRole("heading", { name: /ひまわり/ })).toBeVisible();

  const members = page.getByRole("region", { name: "メンバー" });
  const rowOf = (penName: string) =>
    members
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: penName, exact: true }) });
  const gen = rowOf("ゲン");
  const replaceWith = page.getByLabel("交代する人");

  // The row's 「交代」 button opens the form (it needs the page's JavaScript, so retry until the
  // page is hydrated).
  await expect(async () => {
    await gen.getByRole("button", { name: "交代" }).first().click();
    await expect(gen.getByLabel("交代する人")).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(replaceWith).toHaveCount(1);

  // Submitted without choosing who takes ゲン's place: refused.
  await gen.getByLabel("理由").fill("転居のため");
  await gen
    .locator("form", { has: page.getByLabel("交代する人") })
    .getByRole("button")
    .click();
  await expect(gen.getByText("入力してください。")).toBeVisible();

  // The form stays open on ゲン's row, with the error and what was typed, and on no other row.
  await expect(replaceWith).toHaveCount(1);
  await expect(gen.getByLabel("交代する人")).toBeVisible();
  await expect(gen.getByLabel("交代する人")).toHaveAttribute("aria-invalid", "true");
  await expect(gen.getByLabel("理由")).toHaveValue("転居のため");
  await expect(page.getByText("入力してください。")).toHaveCount(1);
  for (const other of ["はな", "ハル"]) {
    await expect(rowOf(other)).toBeVisible();
    await expect(rowOf(other).getByLabel("交代する人")).toHaveCount(0);
    await expect(rowOf(other).getByLabel("理由")).toHaveCount(0);
  }

  // Nothing was written: the same members in the same positions, no new audit entry.
  expect(stored("ひまわり")).toEqual(before);
});
