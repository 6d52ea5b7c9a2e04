// Imported first (`import './register-ts.js'`, or `node --import ./bin/register-ts.js`): lets the process import the
// TypeScript sources, compiled as they load (ts-hooks.js), with stack traces that point into them.
import { register } from 'node:module'

process.setSourceMapsEnabled(true)
register('./ts-hooks.js', import.meta.url)
