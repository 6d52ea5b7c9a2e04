import { checkConnector } from './check-connector.ts'
import { validateConnectorSchema } from './compile.ts'
import type { ValidationResult } from './types.ts'

/**
 * Validates a connector definition: the JSON Schema (compiled at start), then the semantic rules of
 * {@link checkConnector}. Never throws, whatever it is given.
 *
 * @example
 * const { valid, errors, warnings } = validateConnector(JSON.parse(text))
 * for (const e of errors) console.log(e.path, e.message)
 */
export function validateConnector(doc: unknown): ValidationResult {
  return checkConnector(validateConnectorSchema, doc)
}
