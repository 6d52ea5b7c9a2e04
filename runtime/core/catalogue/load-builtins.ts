import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Connector } from '../../../schemas/types/connector.ts'
import { validateConnector } from '../../../schemas/validate/index.ts'
import { readJsonFile } from '../../platform/files/index.ts'

/**
 * Loads and validates every `*.json` in the built-in connectors directory. One invalid file stops
 * the start with every problem listed: a broken catalogue must never be served half-loaded.
 *
 * @example
 * const builtIns = await loadBuiltIns('connectors')
 */
export async function loadBuiltIns(dir: string): Promise<Map<string, Connector>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort()
  const connectors = new Map<string, Connector>()
  const problems: string[] = []
  for (const name of names) {
    const file = join(dir, name)
    let doc: unknown
    try {
      doc = await readJsonFile(file)
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`)
      continue
    }
    const { valid, errors } = validateConnector(doc)
    if (!valid) {
      problems.push(...errors.map((e) => `${file}  ${e.path || '/'}  ${e.message}`))
      continue
    }
    const connector = doc as Connector
    if (`${connector.id}.json` !== name) problems.push(`${file}: the file must be named after its id ("${connector.id}.json")`)
    delete connector.$schema
    connectors.set(connector.id, connector)
  }
  if (problems.length > 0) {
    throw new Error(
      `The built-in connectors in ${dir} are not valid:\n${problems.join('\n')}\nRun "npx switchboard validate ${dir}/*.json" to see them.`,
    )
  }
  return connectors
}
