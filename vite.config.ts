import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { precompiledValidators } from './designer/build/precompiled-validators.ts'

// The designer is a single-page app served by the runtime at `/`. In development (`npm run dev`)
// Vite serves it and forwards API calls to a runtime on :8787.
const runtime = process.env.SWITCHBOARD_RUNTIME_URL ?? 'http://localhost:8787'

export default defineConfig({
  root: 'designer',
  plugins: [svelte(), precompiledValidators()],
  build: {
    outDir: '../dist/designer',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': runtime,
      '/signin': runtime,
      '/oauth': runtime,
    },
  },
})
