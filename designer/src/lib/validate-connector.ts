/**
 * The runtime's connector validation, in the browser: the schema check compiled at build time (no ajv
 * shipped) and the same semantic rules, so the designer and the runtime give the same answers.
 */
import schemaCheck from 'virtual:connector-schema-check'
import { checkConnector } from '../../../schemas/validate/check-connector.ts'
import type { ValidationResult } from '../../../schemas/validate/types.ts'

/**
 * Validates a connector definition, as `POST /api/connectors/validate` would.
 *
 * @example
 * const { errors, warnings } = validateConnector(draft)
 */
export function validateConnector(doc: unknown): ValidationResult {
  return checkConnector(schemaCheck, doc)
}
