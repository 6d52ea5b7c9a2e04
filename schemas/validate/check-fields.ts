import { checkPattern } from './check-pattern.ts'
import { arrayOf, type Checker, type FieldInfo, isObject, RESERVED_KEYS } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

/**
 * Declares the fields at `path` (an array of Field objects) into `into`, reporting duplicate keys,
 * reserved names, patterns that do not run and defaults that do not fit the field.
 */
export function declareFields(check: Checker, list: unknown, path: string, into: Map<string, FieldInfo>): FieldInfo[] {
  const declared: FieldInfo[] = []
  arrayOf(list).forEach((raw, i) => {
    if (!isObject(raw) || typeof raw.key !== 'string') return
    const at = path + pointer(i)
    const info: FieldInfo = { key: raw.key, type: typeof raw.type === 'string' ? raw.type : 'text', path: at }
    const other = into.get(raw.key)
    if (other) {
      check.error(
        `${at}/key`,
        'duplicateKey',
        `${readablePath(`${at}/key`)} "${raw.key}" is already declared at ${readablePath(other.path)}`,
      )
      return
    }
    if (RESERVED_KEYS.has(raw.key)) {
      check.error(
        `${at}/key`,
        'reservedKey',
        `${readablePath(`${at}/key`)} "${raw.key}" is reserved for {{${raw.key}.…}} in templates — choose another key`,
      )
    }
    into.set(raw.key, info)
    declared.push(info)
    checkField(check, raw, at)
  })
  return declared
}

function checkField(check: Checker, field: Record<string, unknown>, at: string): void {
  const pattern = checkPattern(check, field.pattern, `${at}/pattern`)
  const values = new Set<unknown>()
  // Indexed over the whole array, so the path names the right option when a non-object precedes it.
  arrayOf(field.options).forEach((option, j) => {
    // A missing or mistyped value is the schema's error; two of them are not a duplicate.
    if (!isObject(option) || typeof option.value !== 'string') return
    if (values.has(option.value))
      check.error(
        at + pointer('options', j, 'value'),
        'duplicateOption',
        `${readablePath(at + pointer('options', j, 'value'))} repeats an earlier option's value`,
      )
    values.add(option.value)
  })
  if (!('default' in field)) return
  const value = field.default
  const path = `${at}/default`
  const where = readablePath(path)
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number') check.error(path, 'defaultType', `${where} must be a number for a number field`)
      break
    case 'boolean':
      if (typeof value !== 'boolean') check.error(path, 'defaultType', `${where} must be true or false for a boolean field`)
      break
    case 'select':
      if (!values.has(value)) check.error(path, 'defaultType', `${where} must be one of the field's option values`)
      break
    default:
      if (typeof value !== 'string')
        check.error(path, 'defaultType', `${where} must be a string for a ${typeof field.type === 'string' ? field.type : 'text'} field`)
      else if (pattern && !pattern.matches(value)) check.error(path, 'defaultPattern', `${where} does not match the field's own pattern`)
  }
}

/** Unused fields are probably a mistake: a value people must enter that nothing sends. */
export function warnUnused(check: Checker, fields: Iterable<FieldInfo>): void {
  for (const field of fields) {
    if (!check.used.has(field)) {
      check.warn(
        field.path,
        'unusedField',
        `${readablePath(field.path)} ("${field.key}") is not used by any template — use it as {{${field.key}}} or remove it`,
      )
    }
  }
}

/**
 * The credential fields of every auth method by key, with where each is declared, so that a template outside
 * its method using one is told what it is rather than that no such field exists.
 *
 * @example
 * check.credentials = credentialFields(doc.auth) // Map { 'apiKey' => '/auth/0/fields/0' }
 */
export function credentialFields(auth: unknown): Map<string, string> {
  const found = new Map<string, string>()
  arrayOf(auth).forEach((method, i) => {
    if (!isObject(method)) return
    arrayOf(method.fields).forEach((field, j) => {
      if (isObject(field) && typeof field.key === 'string' && !found.has(field.key)) found.set(field.key, pointer('auth', i, 'fields', j))
    })
  })
  return found
}
