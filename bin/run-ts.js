#!/usr/bin/env node
// Runs one TypeScript file (benchmarks, scripts) through tsx: `node bin/run-ts.js bench/index.ts`.
import { register } from 'tsx/esm/api'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

register()
const file = process.argv[2]
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args…]')
  process.exit(2)
}
await import(pathToFileURL(resolve(file)).href)
