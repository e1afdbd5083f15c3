import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/cli/**/*.test.ts',
      'tests/contract/**/*.test.ts',
      'tests/build/**/*.test.ts',
      'tests/server/**/*.test.ts',
    ],
    root: new URL('..', import.meta.url).pathname,
  },
});
