import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The machine has two cores; the loopback timing tests are sensitive to oversubscription.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
