#!/usr/bin/env node
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import './register-ts.js'

// Runs one TypeScript file (benchmarks, scripts), compiled as it loads: `node bin/run-ts.js bench/index.ts`.
const file = process.argv[2]
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args…]')
  process.exit(2)
}
await import(pathToFileURL(resolve(file)).href)
