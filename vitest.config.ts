import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The Workers test runs on its own (npm run test:workers): it needs Node 22 and wrangler.
    exclude: ['**/node_modules/**', 'test/workers/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests print nothing unless they fail; the app's logger is silenced in test deps.
    silent: 'passed-only',
  },
});
