#!/usr/bin/env node
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
// Runs one TypeScript file (benchmarks, scripts) through tsx: `node bin/run-ts.js bench/index.ts`.
import { register } from 'tsx/esm/api'

register()
const file = process.argv[2]
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args…]')
  process.exit(2)
}
await import(pathToFileURL(resolve(file)).href)
