import { compilePattern } from '../../../schemas/pattern/index.ts'
import type { Field } from '../../../schemas/types/connector.ts'
import type { ValidationProblem } from '../../../schemas/validate/index.ts'
import { SwitchboardError } from '../../errors.ts'
import type { FieldValue } from '../../types.ts'

/**
 * The shortest value a secret field accepts. Real keys and tokens are far longer; a shorter "secret" is
 * a constant that belongs in the connector, and masking it in echoed text would reveal where it occurs.
 *
 * @example
 * 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'.length >= MIN_SECRET_LENGTH // true
 */
export const MIN_SECRET_LENGTH = 8

/** Values split the way they are stored: secrets sealed, the rest on the connection. */
export interface SplitValues {
  plain: Record<string, FieldValue>
  secrets: Record<string, string>
}

/**
 * Checks entered values against the field definitions and splits them into plain and secret ones.
 * Unknown keys, wrong types, options not offered, patterns not matched and control characters (which
 * could inject headers) are refused; messages name the field, never echo the value.
 *
 * @example
 * const { plain, secrets } = checkValues(fields, { subdomain: 'acme', apiToken: '…' }, { requireAll: true })
 */
export function checkValues(
  fields: ReadonlyMap<string, Field>,
  values: Readonly<Record<string, FieldValue | undefined>>,
  options: { require?: 'all' | 'secrets' | 'plain' | 'none'; only?: 'plain' } = {},
): SplitValues {
  const problems: ValidationProblem[] = []
  const out: SplitValues = { plain: {}, secrets: {} }
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue
    const field = fields.get(key)
    const path = `/values/${key}`
    if (!field) {
      problems.push({
        path,
        keyword: 'unknownField',
        message: `"${key}" is not a field of this connection. Known fields: ${[...fields.keys()].join(', ') || 'none'}.`,
      })
      continue
    }
    if (options.only === 'plain' && field.type === 'secret') {
      problems.push({
        path,
        keyword: 'secretField',
        message: `"${field.label}" is a secret: change it by connecting again (PUT …/credentials).`,
      })
      continue
    }
    const problem = checkValue(field, value)
    if (problem) problems.push({ path, keyword: 'fieldValue', message: `${field.label} ${problem}` })
    else if (field.type === 'secret') out.secrets[key] = String(value)
    else out.plain[key] = coerce(field, value)
  }
  const require = options.require ?? 'none'
  for (const [key, field] of fields) {
    if (!field.required || field.default !== undefined) continue
    const value = values[key]
    // A required field given as empty is refused in every mode: a change must not blank it.
    const given = value !== undefined && !(options.only === 'plain' && field.type === 'secret')
    if (
      !given &&
      (require === 'none' || (require === 'secrets' && field.type !== 'secret') || (require === 'plain' && field.type === 'secret'))
    )
      continue
    if (value === undefined || value === '')
      problems.push({ path: `/values/${key}`, keyword: 'required', message: `${field.label} is required` })
  }
  if (problems.length > 0) {
    throw new SwitchboardError(400, 'invalid_values', `Some values are not valid: ${problems.map((p) => p.message).join('; ')}.`, {
      details: { errors: problems },
    })
  }
  return out
}

function checkValue(field: Field, value: FieldValue): string | undefined {
  // C0 and C1 controls (NEL, U+0085, among them) and the Unicode line and paragraph separators: some
  // HTTP stacks and logs read each as a line break.
  // A multiline field (a PEM key) keeps its line breaks; what it is rendered into refuses them.
  const text = typeof value === 'string' && field.multiline ? value.replace(/\r?\n/g, '') : value
  if (typeof text === 'string' && /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text))
    return 'contains a line break or control character; enter it on one line'
  if (field.type === 'secret' && typeof value === 'string' && value !== '' && [...value].length < MIN_SECRET_LENGTH) {
    return (
      `is too short: secrets must be at least ${MIN_SECRET_LENGTH} characters (a real key is longer; a constant like Freshdesk's ` +
      `\`X\` belongs in the connector, not in a field)`
    )
  }
  switch (field.type) {
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        ? undefined
        : 'must be a number'
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'must be true or false'
    case 'select':
      return field.options?.some((o) => o.value === value) ? undefined : `must be one of: ${field.options?.map((o) => o.label).join(', ')}`
    case 'url':
      if (typeof value !== 'string') return 'must be a URL'
      if (value === '') return undefined
      try {
        const url = new URL(value)
        if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https://'
        if (url.username || url.password) return 'must not contain a user name or password'
      } catch {
        return 'must be a full URL, like https://api.example.com'
      }
      return matches(field, value)
    default:
      if (typeof value !== 'string') return 'must be text'
      return value === '' ? undefined : matches(field, value)
  }
}

function matches(field: Field, value: string): string | undefined {
  if (!field.pattern) return undefined
  const pattern = compilePattern(field.pattern)
  // Validated connectors have patterns that run; one saved before the engine changed is reported, not run.
  if (!pattern.ok) return `cannot be checked: the connector's pattern ${pattern.reason}`
  return pattern.matches(value)
    ? undefined
    : `does not have the expected format${field.placeholder ? ` (like "${field.placeholder}")` : ''}`
}

function coerce(field: Field, value: FieldValue): FieldValue {
  if (field.type === 'number') return Number(value)
  if (field.type === 'boolean') return value === true || value === 'true'
  return value
}
