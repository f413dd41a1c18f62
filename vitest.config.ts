import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Every statement the PGlite store prepares is planned without its values from its first
    // run, so one that needs them at planning fails here and not on its sixth run in production.
    env: { PGLITE_PLAN_CACHE_MODE: 'force_generic_plan' },
    // After the run: no server log carries a child's name, date of birth or free text.
    globalSetup: ['test/support/log-check-setup.ts'],
  },
});
