#!/usr/bin/env node
// Entry point of the `switchboard` command. The sources are TypeScript, compiled as they load (register-ts.js), so
// that `npx switchboard …` works on a fresh clone without a build step.
import './register-ts.js'

// `switchboard validate … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})
const { main } = await import('../runtime/tooling/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
