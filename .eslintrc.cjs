/** @type {import('eslint').Linter.Config} */
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
};
