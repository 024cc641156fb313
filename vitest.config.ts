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
  },
});
