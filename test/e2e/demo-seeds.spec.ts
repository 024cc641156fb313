/**
 * A newcomer's first look at seeds in the demo: once OCR has read the demo pages, two pages of
 * ひまわり are approved with seeds in every state and the app's suggestions — /seeds and the
 * tagger show exactly what the database holds.
 */
import Database from "better-sqlite3";
import { DEMO, expect, loginAsStaff, test, demoServerForThisFile } from "./fixtures";

const base = demoServerForThisFile({
  env: { OCR_RUNNER: "on", OCR_WORKERS: "2", DEMO_SEEDS: "on" },
});

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(base.databasePath(), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

test("the demo has seeds in every state and open suggestions, shown as the database holds them", async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The demo finisher approves the pages once OCR has read them.
  // Done when the last of the demo resources is there (1 from the accepted seed + 12).
  await expect
    .poll(() => query<{ n: number }>("select count(*) as n from resource")[0]!.n, {
      timeout: 150_000,
    })
    .toBe(13);
  await expect
    .poll(() => query<{ n: number }>("select count(*) as n from seed_suggestion_run")[0]!.n)
    .toBe(2);
  const counts = Object.fromEntries(
    query<{ status: string; n: number }>(
      "select status, count(*) as n from seed group by status",
    ).map((r) => [r.status, r.n]),
  );
  // Every demo resource has a seed behind it (merged), besides the seeds staff decided.
  expect(counts).toEqual({ proposed: 2, accepted: 1, merged: 13, rejected: 1 });

  await loginAsStaff(page, base(), DEMO.staff);
  await page.goto(`${base()}/seeds`);
  for (const [status, n] of Object.entries(counts))
    await expect(page.getByTestId(`count-${status}`)).toContainText(String(n));
  const proposed = query<{ title: string }>(
    "select title from seed where status = 'proposed' order by proposed_at desc, id desc",
  );
  await expect(page.getByTestId("seed-row")).toHaveCount(proposed.length);
  for (const [i, s] of proposed.entries())
    await expect(page.getByTestId("seed-row").nth(i)).toContainText(s.title);

  // The resource the accepted seed became lists both seeds behind it.
  const [resource] = query<{ id: number; name: string }>(
    "select id, name from resource order by id limit 1",
  );
  expect(
    query<{ status: string }>(
      "select status from seed where resource_id = ? order by id",
      resource!.id,
    ).map((s) => s.status),
  ).toEqual(["accepted", "merged"]);

  // Each approved page shows its seeds and the suggestions still open.
  for (const { page_id } of query<{ page_id: number }>(
    "select page_id from seed_suggestion_run order by page_id",
  )) {
    await page.goto(`${base()}/review/pages/${page_id}`);
    const seeds = query<{ n: number }>(
      "select count(*) as n from seed where page_id = ?",
      page_id,
    )[0]!.n;
    // Every seed is in the legend; seeds on words inside another's are not highlighted twice.
    await expect(page.locator("ul.seed-legend li")).toHaveCount(seeds);
    expect(await page.locator("mark.seed").count()).toBeGreaterThan(0);
    const open = query<{ quote: string }>(
      "select quote from seed_suggestion where page_id = ? and status = 'open' order by start_cp",
      page_id,
    );
    const items = page.getByTestId("suggestions").locator("li");
    await expect(items).toHaveCount(open.length);
    for (const [i, s] of open.entries()) await expect(items.nth(i)).toContainText(s.quote);
  }
  expect(
    query<{ n: number }>("select count(*) as n from seed_suggestion where status = 'open'")[0]!.n,
  ).toBeGreaterThan(0);
});
