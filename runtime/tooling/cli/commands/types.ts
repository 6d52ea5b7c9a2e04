import { generateTypes } from '../generate-types.ts'
import type { Io } from '../io.ts'

export const usage = `switchboard types [--check]

Regenerates the TypeScript types from the JSON Schemas in schemas/.
  --check   write nothing; exit 1 when a generated file is stale`

/**
 * `switchboard types`: regenerates (or with `--check` verifies) the generated types.
 *
 * @example
 * await typesCommand(['--check'], io) // 1 when schemas/types is stale
 */
export async function typesCommand(args: string[], io: Io): Promise<number> {
  const check = args.includes('--check')
  const stale = await generateTypes({ check })
  if (check && stale.length > 0) {
    return io.fail(`generated types are stale: ${stale.join(', ')} — run "npm run generate" and commit the result`)
  }
  io.out(stale.length === 0 ? 'generated types are up to date' : `wrote ${stale.join(', ')}`)
  return 0
}
