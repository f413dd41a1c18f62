import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // After the run: no server log carries a child's name, date of birth or free text.
    globalSetup: ['test/support/log-check-setup.ts'],
  },
});
