// ESLint flat config: typescript-eslint's type-aware recommended rules over every TypeScript tree, Prettier owns the formatting.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: ["dist/", "node_modules/", ".malachite/", "coverage/"],
  },
  {
    // Build scripts are plain Node ESM, linted without type information.
    files: ["**/*.{js,mjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Off: `async` methods that implement Promise-returning interfaces without awaiting are deliberate (a throw becomes a rejection).
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // The dashboard's page runs in the browser (web/tsconfig.json checks it with the DOM's types).
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["test/**/*.ts", "examples/**/*.ts"],
    rules: {
      // Off in tests: vitest's asymmetric matchers (expect.any, expect.stringContaining, ...) are typed `any`, so every nested matcher is flagged.
      "@typescript-eslint/no-unsafe-assignment": "off",
    },
  },
  prettier,
);
