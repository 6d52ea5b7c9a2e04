import { defineConfig } from 'vitest/config'

// Tests start real servers and a real browser: give them time, and keep the two cores for two workers.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
})
