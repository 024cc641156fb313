/** @type {import('eslint').Linter.Config} */

// Layers point one way: routes → components/models → storage/ocr/seeds/resources → utils → db. A lower layer
// never imports a higher one (decision 012); `import/no-cycle` keeps the graph free of cycles.
const layer = (forbidden) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: forbidden.map((dir) => ({
        group: [`~/${dir}/*`, `../${dir}/*`, `../../${dir}/*`, `~/${dir}`],
        message: `This layer must not import from app/${dir}/ (layers point one way: routes → components/models → storage/ocr → utils → db).`,
      })),
    },
  ],
});

module.exports = {
  root: true,
  extends: ["@remix-run/eslint-config", "@remix-run/eslint-config/node"],
  ignorePatterns: [
    "scratch/",
    "test/.tmp/",
    "build/",
    "public/build/",
    "node_modules/",
    "test-results/",
    "playwright-report/",
  ],
  rules: {
    "import/no-duplicates": "error",
  },
  overrides: [
    {
      files: ["app/**/*.{ts,tsx}"],
      rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
    },
    {
      files: ["app/utils/**"],
      rules: layer(["routes", "components", "models", "storage", "ocr", "seeds", "resources"]),
    },
    {
      files: ["app/storage/**", "app/ocr/**", "app/seeds/**", "app/resources/**"],
      excludedFiles: ["**/*.test.ts"],
      rules: layer(["routes", "components", "models"]),
    },
    {
      files: ["app/models/**"],
      excludedFiles: ["**/*.test.ts"],
      rules: layer(["routes", "components"]),
    },
    {
      // Routes call model functions; they never build or use a database handle themselves.
      files: ["app/routes/**"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: ["~/utils/db.server", "kysely", "better-sqlite3"],
                message: "Routes call model functions (app/models/); no database handle here.",
              },
            ],
          },
        ],
      },
    },
    {
      // UI only: data arrives through loaders and props, never from server modules.
      files: ["app/components/**"],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: ["~/routes/*", "../routes/*", "**/*.server", "**/*.server.ts"],
                message: "Components are UI only: no route modules and no *.server modules.",
              },
            ],
          },
        ],
      },
    },
  ],
};
