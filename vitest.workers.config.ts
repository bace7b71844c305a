import { defineConfig } from 'vitest/config';

/** npm run test:workers — src/worker.ts on workerd (test/workers), apart from the main suite. */
export default defineConfig({
  test: {
    include: ['test/workers/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
