import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { TMP_DIR } from "../helpers/paths";
import { startServer, type RunningServer } from "../helpers/server";
import { CHROMIUM_PATH, MISSING_MESSAGE } from "./chromium";

export { expect, test };

export const DEMO = {
  admin: { login: "admin", password: "demo-admin-pass" },
  staff: { login: "hoken", password: "demo-staff-pass" },
  participantCode: "HANA-2345-6789",
};

/**
 * Starts the real app (`--demo`: demo data on a fresh SQLite file) for the tests of one spec
 * file, so that files never share state such as login throttling.
 */
export function demoServerForThisFile(
  options: { env?: Record<string, string> } = {},
): (() => string) & { databasePath: () => string } {
  let server: RunningServer | undefined;
  let databasePath = "";
  test.skip(!CHROMIUM_PATH, MISSING_MESSAGE);
  test.beforeAll(async () => {
    fs.mkdirSync(TMP_DIR, { recursive: true });
    databasePath = path.join(TMP_DIR, `e2e-${crypto.randomUUID()}.db`);
    server = await startServer({
      databasePath,
      args: ["--demo"],
      env: {
        NODE_ENV: "production",
        UPLOADS_DIR: databasePath.replace(/\.db$/, "-uploads"),
        // The demo's approved pages with seeds have a test of their own (demo-seeds.spec.ts);
        // the others count the review queue's three pages.
        DEMO_SEEDS: "off",
        ...options.env,
      },
    });
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  const url = () => {
    if (!server) throw new Error("server not started");
    return server.url;
  };
  // The test reads what the database holds to compare it with what the browser shows.
  return Object.assign(url, { databasePath: () => databasePath });
}

export async function loginAsStaff(
  page: Page,
  base: string,
  who: { login: string; password: string },
) {
  await page.goto(`${base}/login`);
  await page.getByLabel("ログインID").fill(who.login);
  await page.getByLabel("パスワード").fill(who.password);
  await page.getByRole("button", { name: "ログイン" }).click();
  await expect(page.getByRole("heading", { name: "ダッシュボード" })).toBeVisible();
}

/** axe on the page as it is now: no serious or critical violation (listed if there are). */
export async function expectNoSeriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `${page.url()}\n${serious.join("\n")}`).toEqual([]);
}
