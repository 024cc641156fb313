/**
 * npm run bench:participant
 *
 * What a participant's phone downloads for their group page on first load: starts the demo
 * (fresh SQLite file in a temp folder, demo pages read by OCR and approved), logs in as the demo
 * participant in Chromium at 360×800 with a touch profile, and prints every script with its size
 * as sent over the wire (compressed) and unpacked, then the totals for scripts, the HTML, CSS and
 * images. The aim: scripts < 120 kB compressed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../e2e/chromium";
import { startServer } from "../helpers/server";

const DEMO_CODE = "HANA-2345-6789";

if (!CHROMIUM_PATH) {
  console.error("No Chromium found (set CHROME_PATH or install the Debian package chromium).");
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "participant-bench-"));
const server = await startServer({
  databasePath: path.join(dir, "app.db"),
  args: ["--demo"],
  env: { NODE_ENV: "production", UPLOADS_DIR: path.join(dir, "uploads"), OCR_RUNNER: "on" },
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 },
    isMobile: true,
    hasTouch: true,
  });
  const login = await context.newPage();
  await login.goto(`${server.url}/code`);
  await login.getByLabel("アクセスコード").fill(DEMO_CODE);
  await login.getByRole("button", { name: "入る" }).click();
  await login.waitForURL(/\/g\/\d+$/);
  const groupUrl = login.url();
  await login.close();

  // First load: an empty cache, as a phone opening the link for the first time.
  const page = await context.newPage();
  const client = await context.newCDPSession(page);
  await client.send("Network.clearBrowserCache");
  const seen: Array<{ url: string; type: string; wire: number; body: number; gzip: number }> = [];
  const wire = new Map<string, number>();
  client.on("Network.loadingFinished", (e: { requestId: string; encodedDataLength: number }) => {
    wire.set(e.requestId, e.encodedDataLength);
  });
  const types = new Map<string, { url: string; type: string }>();
  client.on(
    "Network.responseReceived",
    (e: { requestId: string; type: string; response: { url: string } }) => {
      types.set(e.requestId, { url: e.response.url, type: e.type });
    },
  );
  await client.send("Network.enable");
  const bodies = new Map<string, Buffer>();
  page.on("response", async (response) => {
    try {
      bodies.set(response.url(), await response.body());
    } catch {
      // Redirects have no body.
    }
  });
  await page.goto(groupUrl, { waitUntil: "networkidle" });
  for (const [id, { url, type }] of types)
    seen.push({
      url,
      type,
      wire: wire.get(id) ?? 0,
      body: bodies.get(url)?.length ?? 0,
      gzip: zlib.gzipSync(bodies.get(url) ?? Buffer.alloc(0)).length,
    });

  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const scripts = seen.filter((r) => r.type === "Script");
  console.log(`Group page ${new URL(groupUrl).pathname}, first load, 360×800 touch:`);
  for (const s of scripts)
    console.log(
      `  ${kb(s.wire).padStart(9)} sent  ${kb(s.body).padStart(9)} unpacked  ${new URL(s.url).pathname}`,
    );
  const sum = (rows: typeof seen, key: "wire" | "body" | "gzip") =>
    rows.reduce((a, r) => a + r[key], 0);
  console.log(
    `Scripts: ${scripts.length} files, ${kb(sum(scripts, "wire"))} sent with HTTP headers, ` +
      `${kb(sum(scripts, "gzip"))} as gzipped bodies, ${kb(sum(scripts, "body"))} unpacked`,
  );
  for (const type of ["Document", "Stylesheet", "Image"]) {
    const rows = seen.filter((r) => r.type === type);
    console.log(`${type}: ${rows.length} files, ${kb(sum(rows, "wire"))} sent`);
  }
  console.log(`Everything: ${kb(sum(seen, "wire"))} sent`);
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
