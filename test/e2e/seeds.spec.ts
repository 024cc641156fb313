/**
 * The seed-review queue (/seeds) from the keyboard: a reviewer approves a demo page, tags three
 * phrases of it (the form the tagger posts), then accepts the first as a new resource, merges the
 * second into it through a kana-folded search, rejects the third and undoes that — after every
 * step the screen is compared with what the database holds.
 */
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({ env: { OCR_RUNNER: "on", OCR_WORKERS: "2" } });

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

type SeedState = {
  id: number;
  title: string;
  status: string;
  resource_id: number | null;
  reject_reason: string | null;
  decided_by_staff_id: number | null;
  decided_at: string | null;
};

const seeds = () =>
  query<SeedState>(
    "select id, title, status, resource_id, reject_reason, decided_by_staff_id, decided_at from seed order by id",
  );

test("a reviewer accepts, merges, rejects and undoes seeds from the keyboard, and the resource's provenance lists both seeds", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await loginAsStaff(page, base(), DEMO.staff);

  // Approve a demo page once OCR has read it.
  await page.goto(`${base()}/review`);
  const rows = page.getByTestId("queue").locator("tbody tr");
  await expect(async () => {
    await page.reload();
    await expect(rows).toHaveCount(3, { timeout: 1000 });
  }).toPass({ timeout: 120_000 });
  await rows.filter({ hasText: "つばめ 1ページ目" }).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("つばめ 1ページ目");
  const editorUrl = page.url();
  const pageId = Number(/\/review\/pages\/(\d+)/.exec(editorUrl)![1]);
  await page.getByRole("button", { name: /承認して次へ/ }).click();
  await expect(page).not.toHaveURL(editorUrl);

  const [approved] = query<{ text: string; version: number }>(
    `select t.text, t.version from page p join transcription t
       on t.page_id = p.id and t.version = p.approved_version where p.id = ?`,
    pageId,
  );
  // Three phrases of the approved text, by code points (as the tagger sends them).
  const chars = Array.from(approved!.text);
  const spans: Array<{ start: number; end: number }> = [];
  let lineStart = 0;
  for (let i = 0; i <= chars.length && spans.length < 3; i++) {
    if (i === chars.length || chars[i] === "\n") {
      if (i - lineStart >= 3) spans.push({ start: lineStart, end: lineStart + 3 });
      lineStart = i + 1;
    }
  }
  expect(spans).toHaveLength(3);
  const titles = ["ひだまりカフェ", "ひだまりの集まり", "見送るタネ"];
  for (const [i, span] of spans.entries()) {
    // The form the tagger posts (its own test drives the selection; this one is about the queue).
    const response = await page.request.post(editorUrl, {
      form: {
        intent: "seed",
        pageId: String(pageId),
        version: String(approved!.version),
        start: String(span.start),
        end: String(span.end),
        quote: chars.slice(span.start, span.end).join(""),
        title: titles[i]!,
        category: "place",
        tags: "居場所",
      },
      headers: { origin: base() },
    });
    expect(response.status()).toBe(200);
    await expect.poll(() => seeds().length).toBe(i + 1);
  }
  await page.goto(`${base()}/seeds?order=oldest`);
  const [first, second, third] = seeds() as [SeedState, SeedState, SeedState];
  expect(seeds().map((s) => [s.title, s.status])).toEqual(titles.map((t) => [t, "proposed"]));

  // The queue shows the three, oldest first, each with its quote in its sentence and its page.
  const queueRows = page.getByTestId("seed-row");
  await expect(queueRows).toHaveCount(3);
  await expect(page.getByTestId("count-proposed")).toContainText("3");
  await expect(queueRows.nth(0)).toContainText("ひだまりカフェ");
  await expect(queueRows.nth(0).locator("mark")).toHaveText(
    chars.slice(spans[0]!.start, spans[0]!.end).join(""),
  );
  await expect(queueRows.nth(0).getByRole("link", { name: "つばめ 1ページ目" })).toHaveAttribute(
    "href",
    `/review/pages/${pageId}`,
  );
  await expect(queueRows.nth(0)).not.toContainText("試験");

  // j / k move the selection.
  await expect(queueRows.nth(0)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("j");
  await expect(queueRows.nth(1)).toHaveAttribute("aria-current", "true");
  await expect(queueRows.nth(1)).toBeFocused();
  await expect(queueRows.nth(0)).not.toHaveAttribute("aria-current", "true");
  await page.keyboard.press("k");
  await expect(queueRows.nth(0)).toHaveAttribute("aria-current", "true");

  // a: accept the first as a new resource (the form is prefilled with the seed's title).
  await page.keyboard.press("a");
  const accept = page.getByTestId("accept-panel");
  const name = accept.getByLabel("資源の名前");
  await expect(name).toBeFocused();
  await expect(name).toHaveValue("ひだまりカフェ");
  await accept.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("資源として登録しました。")).toBeVisible();
  const afterAccept = seeds();
  expect(afterAccept[0]).toMatchObject({ id: first.id, status: "accepted" });
  const resourceId = afterAccept[0]!.resource_id!;
  expect(
    query<{ name: string; visibility: string }>(
      "select name, visibility from resource where id = ?",
      resourceId,
    ),
  ).toEqual([{ name: "ひだまりカフェ", visibility: "staff" }]);
  await expect(queueRows).toHaveCount(2);
  await expect(page.getByTestId("count-accepted")).toContainText("1");

  // m: merge the second into it, found by a search in katakana.
  await expect(queueRows.nth(0)).toContainText("ひだまりの集まり");
  await expect(queueRows.nth(0)).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("m");
  const merge = page.getByTestId("merge-panel");
  const search = merge.getByLabel("資源を探す（名前・別名・タグ）");
  await expect(search).toBeFocused();
  await page.keyboard.type("ヒダマリ");
  await page.keyboard.press("Enter");
  await merge.getByRole("button", { name: "「ひだまりカフェ」に統合" }).click();
  await expect(page.getByText("既存の資源に統合しました。")).toBeVisible();
  expect(seeds()[1]).toMatchObject({ id: second.id, status: "merged", resource_id: resourceId });
  await expect(queueRows).toHaveCount(1);
  await expect(page.getByTestId("count-merged")).toContainText("1");

  // r: reject the third with a reason.
  await expect(queueRows.nth(0)).toContainText("見送るタネ");
  await page.keyboard.press("r");
  const reject = page.getByTestId("reject-panel");
  await expect(reject.getByRole("radio", { name: "個人が特定される" })).toBeFocused();
  for (const reason of ["個人が特定される", "既にある", "地域外", "その他"])
    await expect(reject.getByRole("radio", { name: reason })).toBeVisible();
  await reject.getByRole("radio", { name: "既にある" }).check();
  await reject.getByRole("button", { name: "見送る" }).click();
  await expect(page.getByText("見送りにしました。")).toBeVisible();
  expect(seeds()[2]).toMatchObject({
    id: third.id,
    status: "rejected",
    reject_reason: "exists",
  });
  await expect(queueRows).toHaveCount(0);
  await expect(page.getByTestId("count-rejected")).toContainText("1");

  // u: undo the reject; the seed is proposed again.
  await page.keyboard.press("u");
  await expect(page.getByText("直前の判断を取り消しました。")).toBeVisible();
  expect(seeds()[2]).toMatchObject({
    id: third.id,
    status: "proposed",
    reject_reason: null,
    decided_at: null,
  });
  await expect(queueRows).toHaveCount(1);
  await expect(queueRows.nth(0)).toContainText("見送るタネ");
  await expect(page.getByTestId("count-rejected")).toContainText("0");

  // The resource's provenance lists both seeds; the queue shows them under their resource.
  expect(
    query<{ id: number; status: string }>(
      "select id, status from seed where resource_id = ? order by id",
      resourceId,
    ),
  ).toEqual([
    { id: first.id, status: "accepted" },
    { id: second.id, status: "merged" },
  ]);
  await page.getByRole("link", { name: /既存の資源に統合/ }).click();
  await expect(queueRows).toHaveCount(1);
  await expect(queueRows.nth(0)).toContainText("資源：ひだまりカフェ");
});
