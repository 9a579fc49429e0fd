import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["lib/**", "build-dev/**", "node_modules/**", "inbox-kit/dist/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // TypeScript itself reports undefined names; ESLint does not know the mocha and Node globals.
      "no-undef": "off",
    },
  },
);
