/**
 * The HTTP server: Express around the Remix build. Responsible for what must hold for every
 * request before any route runs — security headers with a per-request CSP nonce, refusing
 * cross-origin POSTs, the client address — and for start-up: migrations, demo data (with
 * `--demo`, only into an empty database), and printing where to log in.
 *
 *   tsx app/server.ts [--demo]
 */
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

// The app reads APP_MODE, decided here once: the bundler inlines NODE_ENV inside the build.
const givenNodeEnv = process.env.NODE_ENV;
process.env.APP_MODE = process.argv.includes("--demo")
  ? "demo"
  : givenNodeEnv === "development" || givenNodeEnv === "test"
    ? givenNodeEnv
    : "production";
// React's server renderer picks its development build unless told otherwise.
process.env.NODE_ENV ??= "production";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const [
  { default: express },
  { default: compression },
  { createRequestHandler },
  { getEnv },
  { getDb },
  { migrateToLatest },
] = await Promise.all([
  import("express"),
  import("compression"),
  import("@remix-run/express"),
  import("./utils/env.server"),
  import("./utils/db.server"),
  import("../db/migrator"),
]);
const { CLIENT_IP_HEADER } = await import("./utils/http.server");
const { limitRequestBodies } = await import("./utils/body-limit.server");
const { MAX_UPLOAD_BYTES } = await import("./storage/images.server");
const { getLangFromCookieHeader, translate } = await import("./i18n/i18n");
const { getMapTiles } = await import("./utils/map-tiles.server");

const env = getEnv();
if (env.mode === "production" && (!env.sessionSecret || env.sessionSecret.length < 32)) {
  console.error("SESSION_SECRET must be set to a random string of at least 32 characters.");
  process.exit(1);
}

const db = getDb();
const applied = await migrateToLatest(db);
if (applied.length) console.log(`Database migrated: ${applied.join(", ")}`);

// Image files a crash left behind, and pages whose files are gone (app/models/upload-sweep.server.ts).
{
  const { sweepUploads, describeSweep } = await import("./models/upload-sweep.server");
  const graceMinutes = Number(process.env.UPLOADS_SWEEP_GRACE_MINUTES);
  const report = await sweepUploads({
    remove: process.env.UPLOADS_SWEEP === "remove",
    graceMs: Number.isFinite(graceMinutes) && graceMinutes >= 0 ? graceMinutes * 60_000 : undefined,
  });
  for (const line of describeSweep(report, "start with UPLOADS_SWEEP=remove to delete them."))
    console.log(line);
}

let demoLogins: string[] = [];
if (env.mode === "demo") {
  const { seedDemoIfEmpty } = await import("../db/seed-demo");
  demoLogins = await seedDemoIfEmpty(db);
}

if (process.env.OCR_RUNNER !== "off") {
  const { startOcr } = await import("./models/ocr-service.server");
  const { pool } = await startOcr({ log: (m) => console.log(`[ocr] ${m}`) });
  console.log(
    `OCR runner started with ${pool.size} worker(s) (OCR_RUNNER=off to use \`npm run worker\` instead).`,
  );
}

if (env.mode === "demo") {
  // Approved demo pages with seeds, once OCR has read them (DEMO_SEEDS=off leaves them out).
  const { finishDemoSeeds } = await import("../db/seed-demo");
  finishDemoSeeds((m) => console.log(`[demo] ${m}`)).catch((error: unknown) =>
    console.error("demo seeds failed:", error),
  );
}

const buildPath = path.join(root, "build", "index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const tileSource = getMapTiles().cspSource;

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);

app.use((req, res, next) => {
  // Overwrite whatever the client sent: loaders read the address from this header.
  req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self' 'unsafe-inline'",
      // Map tiles: exactly the host of MAP_TILE_URL (app/utils/map-tiles.server.ts).
      `img-src 'self' data: blob:${tileSource && tileSource !== "'self'" ? ` ${tileSource}` : ""}`,
      env.mode === "development"
        ? "connect-src 'self' ws: http://localhost:*"
        : "connect-src 'self'",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  // Nearly every page shows personal data: browsers and proxies must keep nothing.
  // Static assets below override this with their own caching.
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)");
  next();
});

// Cross-site request forgery: a state-changing request must come from our own pages.
app.use((req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
  const origin = req.get("origin");
  const fetchSite = req.get("sec-fetch-site");
  let sameOrigin = true;
  if (origin) {
    try {
      sameOrigin = new URL(origin).host === req.get("host");
    } catch {
      sameOrigin = false;
    }
  } else if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") {
    sameOrigin = false;
  }
  if (sameOrigin) return next();
  res
    .status(403)
    .type("text/plain; charset=utf-8")
    .send("別のサイトからの送信は受け付けられません。(Cross-origin request refused.)");
});

// Bodies are limited per route before anything reads them (decision 029). Strangers can make
// the app read only the entry forms' few kilobytes; a staff form is at most a few hundred (the
// review editor's 20 000 characters, the walk record's 60 notes); photos and CSV files are
// bounded by their own limits plus room for the multipart framing.
const KB = 1024;
const MB = 1024 * KB;
app.use(
  limitRequestBodies({
    rules: [
      { path: /^\/(login|code|language|logout)\/?$/, bytes: 8 * KB },
      { path: /^\/g\/[^/]+\/?$/, bytes: 8 * KB },
      { path: /^\/scan\/[^/]+\/upload\/?$/, bytes: MAX_UPLOAD_BYTES + 64 * KB },
      // Without JavaScript the station sends its photos in one request.
      { path: /^\/scan\/[^/]+\/?$/, bytes: 4 * MAX_UPLOAD_BYTES + 64 * KB },
      // The file (5 MB), then its text posted back at each step (Shift_JIS grows in UTF-8).
      { path: /^\/resources\/import\/?$/, bytes: 16 * MB },
    ],
    fallback: 1 * MB,
    answer(req, limit) {
      const lang = getLangFromCookieHeader(req.get("cookie") ?? null);
      if (/\/upload\/?$/.test(req.path)) {
        // The station's script reads every answer as an upload outcome.
        return {
          contentType: "application/json; charset=utf-8",
          body: JSON.stringify({
            status: "error",
            name: "",
            key: "upload.tooLarge",
            httpStatus: 413,
          }),
        };
      }
      const size = limit >= MB ? `${Math.floor(limit / MB)} MB` : `${Math.floor(limit / KB)} KB`;
      return {
        contentType: "text/plain; charset=utf-8",
        body: translate(lang, "bodyLimit.tooLarge", { size }),
      };
    },
  }),
);

// The browser build is sent compressed (participants are often on slow phone connections). Only
// these static files: pages carry personal data, and compressing them next to what a visitor
// typed would open them to length-guessing attacks (BREACH).
app.use(
  "/build",
  compression(),
  express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }),
);
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));

const handleWithRemix = createRequestHandler({
  build,
  mode: env.mode === "development" || env.mode === "test" ? "development" : "production",
  getLoadContext: (_req, res) => ({ cspNonce: String(res.locals.cspNonce) }),
});
app.all("*", (req, res, next) =>
  // After a 413 the route's own answer fails (the headers are gone): nothing to report.
  handleWithRemix(req, res, (error?: unknown) =>
    res.locals.bodyRefused ? undefined : next(error),
  ),
);

const server = app.listen(env.port, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  console.log(`交換日記 is listening on http://localhost:${port}`);
  for (const line of demoLogins) console.log(line);
});

function shutdown() {
  server.close();
  void import("./models/ocr-service.server")
    .then(({ stopOcr }) => stopOcr())
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
