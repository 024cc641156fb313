/**
 * Browser tests drive the system Chromium (Debian package `chromium`), never a downloaded one.
 * Without it they skip loudly; under CI=true a missing browser is a failure.
 */
import fs from "node:fs";

const candidates = [
  process.env.CHROME_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

export const CHROMIUM_PATH: string | null =
  candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null;

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const MISSING_MESSAGE =
  "No Chromium found (looked at CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). " +
  "Install it with `apt-get install -y chromium` or set CHROME_PATH.";

export function reportMissingChromium() {
  if (CHROMIUM_PATH) return;
  if (process.env.CI === "true") throw new Error(`CI=true and ${MISSING_MESSAGE}`);
  const line = "!".repeat(78);
  console.warn(`\n${line}\n!! BROWSER TESTS SKIPPED: ${MISSING_MESSAGE}\n${line}\n`);
}
