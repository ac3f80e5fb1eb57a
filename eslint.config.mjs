import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "lib/db/generated/**",
    ".keyhold/**",
    ".e2e-data*/**",
    ".test-data*/**",
    ".pglite-scratch/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // The Prisma CLI configs work around upstream bugs with untyped internals.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
]);
