import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: [
      "app/**/*.test.{ts,tsx}",
      "db/**/*.test.ts",
      "test/integration/**/*.test.ts",
      "test/ocr-gen/**/*.test.ts",
      "test/hand-model/**/*.test.ts",
    ],
    globalSetup: ["test/helpers/global-setup.ts"],
    setupFiles: ["test/helpers/setup-db.ts"],
    // scrypt at the production cost makes logins take ~0.5 s on purpose.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Many files spend their time waiting on child servers, workers and tesseract processes, so
    // one more fork than the default (cores − 1) keeps a two-core machine busy: 495 s → 316 s.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    minWorkers: 1,
  },
});
