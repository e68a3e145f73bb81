// ESLint for the whole repository: `npm run lint` (and the test command, scripts/test.mjs).
// The recommended JavaScript and typescript-eslint rules everywhere, the rules of hooks for the
// React admin and the Preact UI extensions, and one rule of our own: app code reaches the
// database through the typed Kysely layer, never `db.raw` (app/db/types.ts). Formatting is
// Prettier's job (`npm run format`); eslint-config-prettier turns off rules that would disagree.
// Not type-checked: the typed rule set took 74 s of CPU and 1.3 GB here (the plain set 27 s), and
// three quarters of its 420 findings were no-unsafe-* on values typed `any`.
import js from "@eslint/js";
import prettier from "eslint-config-prettier/flat";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

const NO_RAW_SQL =
  "No `.raw` SQL outside app/db: query through the typed Kysely layer (`db.query`), or add the operation to app/db if the query builder cannot express it.";

export default defineConfig(
  globalIgnores([
    "build/",
    "public/build/",
    ".cache/",
    ".tools/",
    ".shopify/",
    "test-results/",
    "app/db/generated/",
    "app/shopify/generated/",
    "extensions/*/dist/",
    "extensions/*/generated/",
    // Bundled from storefront/loyalty.js and storefront/loyalty-referral.js by `npm run build:theme`.
    "extensions/loyalty-theme/assets/loyalty.js",
    "extensions/loyalty-theme/assets/loyalty-referral.js",
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Server code, scripts, tests, the simulator and the root config files run on Node.
    files: ["**/*.{js,mjs,cjs,ts,tsx}"],
    ignores: ["storefront/**", "extensions/**"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The Remix admin renders in the browser too.
    files: ["app/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The theme script and the UI extensions run in the shopper's browser (or Shopify's worker);
    // Shopify CLI's esbuild replaces `process.env.NAME` in the extensions at build time.
    files: ["storefront/**", "extensions/**"],
    languageOptions: { globals: { ...globals.browser, shopify: "readonly", process: "readonly" } },
  },
  {
    files: ["app/**/*.tsx", "extensions/**/*.{js,jsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Tests reach into SQL on purpose to check invariants independently of the app; app code
    // goes through the typed query layer, and only app/db itself may use the engine beneath it.
    files: ["app/**"],
    ignores: ["app/db/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        // db.raw (String.raw is a template tag, not SQL), db["raw"] and const { raw } = db.
        ...[
          "MemberExpression[computed=false][property.name='raw']:not([object.name='String'])",
          "MemberExpression[computed=true][property.value='raw']",
          "ObjectPattern > Property[key.name='raw']",
        ].map((selector) => ({ selector, message: NO_RAW_SQL })),
      ],
    },
  },
  prettier,
);
