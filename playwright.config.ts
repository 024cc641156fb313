import { defineConfig } from "@playwright/test";
import { CHROMIUM_PATH, CHROMIUM_ARGS, reportMissingChromium } from "./test/e2e/chromium";

reportMissingChromium();

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  // Each spec file starts its own server on a fresh database; two cores, two workers.
  workers: 2,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH ?? undefined, args: CHROMIUM_ARGS },
  },
});
