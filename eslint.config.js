// @ts-check
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * ESLint for TypeScript and .astro files; Prettier owns the layout (no formatting rules here).
 * Type-aware rules are left out: `astro check` already runs the compiler over every file, and
 * the type-aware pass doubled lint time without finding anything it did not.
 */
export default tseslint.config(
  { ignores: ['dist/', 'dist-cloudflare/', '.astro/', '.wrangler/', 'node_modules/', 'tests/.output/', 'data/', 'src/env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `import('…').Type` stays allowed: JSDoc-typed scripts and one-off annotations use it.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always'],
      // Control characters are exactly what our input checks look for (names, comment text, log lines).
      'no-control-regex': 'off',
    },
  },
  {
    // Playwright's fixtures are destructured: a test that needs only testInfo writes `({}, testInfo)`.
    files: ['tests/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
);
