import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'
import { precompiledValidators } from './designer/build/precompiled-validators.ts'

/** The runtime's HTTP suites, which run a second time on PostgreSQL (the `postgres` project). */
const HTTP_SUITES = ['runtime', 'access', 'actions', 'proxy', 'oauth2', 'security', 'auth'].map((dir) => `tests/${dir}/**/*.test.ts`)

// Tests start real servers and a real browser: give them time, and keep the two cores for two workers.
export default defineConfig({
  plugins: [svelte({ configFile: false }), precompiledValidators()],
  test: {
    // A throwaway PostgreSQL for the store tests and the postgres project, started on first use and removed at the end.
    globalSetup: ['tests/support/postgres-global-setup.ts'],
    // Room for tests that start runtime processes on a machine busy with other work; a hang still fails.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'embedded', include: ['tests/**/*.test.ts'] } },
      // The same HTTP suites with every runtime on a fresh PostgreSQL database (tests/support/store.ts).
      { extends: true, test: { name: 'postgres', include: HTTP_SUITES, env: { SWITCHBOARD_TEST_STORE: 'postgres' } } },
    ],
  },
})
