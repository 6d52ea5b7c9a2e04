import { compilePattern } from '../../../../schemas/pattern/index.ts'
import type { Field } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import type { NangoInput } from './types.ts'

const RESERVED = new Set(['input', 'body', 'headers'])

/**
 * A template key for a Nango name: dashes and dots become underscores, a leading digit gets a letter,
 * and the names templates reserve get a trailing underscore.
 *
 * @example
 * toKey('accounts-server') // 'accounts_server'
 */
export function toKey(name: string): string {
  let key = name.replace(/[^A-Za-z0-9_]/g, '_')
  if (!/^[A-Za-z]/.test(key)) key = `f${key}`
  key = key.slice(0, 63)
  return RESERVED.has(key) ? `${key}_` : key
}

/** Options for {@link inputField} that the Nango entry does not carry itself. */
export interface FieldOptions {
  /** Label when the entry has no title. */
  label: string
  /** Credentials are secret whatever the entry says; connection values only when it says so. */
  secret?: boolean
  /** A default found elsewhere (the literal side of `${connectionConfig.x} || literal`). */
  default?: string
  /** Told, as a stable phrase, what of the entry is left out and why. */
  note?: (text: string) => void
}

/**
 * Our field for a Nango `connection_config` or `credentials` entry: title → label, description → help
 * (plus where a prefix or suffix goes), example → placeholder, enum → select, `optional` → not required.
 * Patterns our validator refuses (JavaScript syntax with the `u` flag, run on RE2: no backreferences
 * or lookaround) are dropped with a note rather than guessed at.
 *
 * @example
 * inputField('subdomain', { title: 'Subdomain', pattern: '^[a-z0-9-]+$', suffix: '.example.com' }, { label: 'Subdomain' })
 * // { key: 'subdomain', label: 'Subdomain', type: 'text', required: true, pattern: '^[a-z0-9-]+$', help: 'Goes before ".example.com".' }
 */
export function inputField(key: string, input: NangoInput, options: FieldOptions): Field {
  const choices = enumOptions(input.enum)
  const secret = options.secret ?? input.secret === true
  const type: Field['type'] = choices ? 'select' : secret ? 'secret' : input.format === 'uri' ? 'url' : 'text'
  let fallback =
    options.default ??
    (typeof input.default_value === 'string' || typeof input.default_value === 'number' ? String(input.default_value) : undefined)
  if (fallback === '' || secret || (choices && !choices.some((o) => o.value === fallback))) fallback = undefined
  let pattern = choices ? undefined : usablePattern(input.pattern, options.note)
  if (pattern && fallback !== undefined && !matches(pattern, fallback)) pattern = undefined
  const example = typeof input.example === 'string' || typeof input.example === 'number' ? String(input.example) : undefined
  const help = helpText(input)
  return {
    key,
    label: text(input.title, 120) ?? options.label,
    ...(help ? { help } : {}),
    type,
    required: input.optional !== true && fallback === undefined && input.default_value !== '',
    ...(fallback !== undefined ? { default: fallback } : {}),
    ...(example && example.length <= 200 && !choices ? { placeholder: example } : {}),
    ...(pattern ? { pattern } : {}),
    ...(choices ? { options: choices } : {}),
  }
}

/**
 * Whether `value` fits `pattern` the way our validator reads it: the whole value, on RE2.
 *
 * @example
 * matches('[a-z]+', 'acme') // true
 */
export function matches(pattern: string, value: string): boolean {
  const compiled = compilePattern(pattern)
  return compiled.ok && compiled.matches(value)
}

/**
 * The Nango pattern a field keeps: one our validator runs; any other is left out (and `note` told why).
 *
 * @example
 * usablePattern('^[a-z]+$')     // '^[a-z]+$'
 * usablePattern('^(?!www)[a-z]+$') // undefined
 */
export function usablePattern(pattern: unknown, note?: FieldOptions['note']): string | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > 500) return undefined
  const compiled = compilePattern(pattern)
  if (compiled.ok) return pattern
  note?.(
    compiled.keyword === 'regex'
      ? 'pattern left out: not a regular expression in JavaScript syntax'
      : 'pattern left out: not supported by the linear-time pattern engine (RE2)',
  )
  return undefined
}

function enumOptions(values: unknown): Field['options'] {
  if (!Array.isArray(values)) return undefined
  const options = [...new Set(values.filter((v) => typeof v === 'string' || typeof v === 'number').map(String))]
    .filter((v) => v.length > 0 && v.length <= 256)
    .map((value) => ({ value, label: value.slice(0, 120) }))
  return options.length > 0 ? (options as Field['options']) : undefined
}

function helpText(input: NangoInput): string | undefined {
  const description = text(input.description, 1000)
  const parts = [description && !/[.!?:)]$/.test(description) ? `${description}.` : description]
  const prefix = text(input.prefix, 100)
  const suffix = text(input.suffix, 100)
  if (prefix && suffix) parts.push(`Goes between "${prefix}" and "${suffix}".`)
  else if (prefix) parts.push(`Goes after "${prefix}".`)
  else if (suffix) parts.push(`Goes before "${suffix}".`)
  const help = parts.filter(Boolean).join(' ')
  return help ? help.slice(0, 1000) : undefined
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed.length > 0 && trimmed.length <= max ? trimmed : undefined
}

/**
 * The entries of a `connection_config` or `credentials` map, with their `order` respected.
 *
 * @example
 * [...inputsOf({ b: { order: 2 }, a: { order: 1 } }).keys()] // ['a', 'b']
 */
export function inputsOf(map: unknown): Map<string, NangoInput> {
  if (!isObject(map)) return new Map()
  const entries = Object.entries(map).filter((e): e is [string, NangoInput] => isObject(e[1]))
  const order = (input: NangoInput) => (typeof input.order === 'number' ? input.order : Number.MAX_SAFE_INTEGER)
  return new Map(
    entries
      .map((e, i) => [e, i] as const)
      .sort(([a, i], [b, j]) => order(a[1]) - order(b[1]) || i - j)
      .map(([e]) => e),
  )
}
