import type { Plugin } from 'vite'
import { connectorCheckSource } from '../../schemas/validate/standalone.ts'

const ID = 'virtual:connector-schema-check'
const RESOLVED = `\0${ID}`

/**
 * Serves `virtual:connector-schema-check`: the connector schema's check compiled ahead of time from
 * `schemas/connector.schema.json` on every build and dev start, so the designer ships generated code instead of
 * ajv's compiler (see `schemas/validate/standalone.ts`).
 *
 * @example
 * defineConfig({ plugins: [svelte(), precompiledValidators()] })
 */
export function precompiledValidators(): Plugin {
  return {
    name: 'switchboard:precompiled-validators',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined
      this.addWatchFile(new URL('../../schemas/connector.schema.json', import.meta.url).pathname)
      return connectorCheckSource()
    },
  }
}
