import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machine has two cores; the loopback timing tests are sensitive to oversubscription.
    maxWorkers: 2,
    // CI also writes a JSON summary; .ci/run prints its plain "N passed, N failed" line from it.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'test-artifacts/vitest-results.json' }]]
      : ['default'],
  },
});
