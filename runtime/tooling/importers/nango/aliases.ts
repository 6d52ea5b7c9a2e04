import { isObject } from '../../../../schemas/validate/context.ts'
import type { NangoProvider } from './types.ts'

/** A catalogue entry with its alias followed. */
export interface ResolvedProvider {
  name: string
  provider: NangoProvider
  /** The entry it takes its definition from, when it is an alias. */
  alias?: string
  /** Set when the alias names no entry (or a cycle): the entry has only its own keys. */
  brokenAlias?: boolean
}

/**
 * Follows `alias:` the way Nango loads its catalogue: the alias's own keys are laid over its target's
 * (a shallow merge, so an alias that sets `proxy` replaces the whole `proxy`). Chains are followed.
 *
 * @example
 * resolveAliases({ a: { auth_mode: 'OAUTH2', display_name: 'A' }, b: { alias: 'a', display_name: 'B' } })
 * // [{ name: 'a', provider: {…} }, { name: 'b', alias: 'a', provider: { auth_mode: 'OAUTH2', display_name: 'B' } }]
 */
export function resolveAliases(catalogue: Record<string, unknown>): ResolvedProvider[] {
  const resolve = (name: string, seen: Set<string>): NangoProvider | undefined => {
    const entry = catalogue[name]
    if (!isObject(entry) || seen.has(name)) return undefined
    if (typeof entry.alias !== 'string') return entry
    const { alias, ...own } = entry
    const target = Object.hasOwn(catalogue, alias) ? resolve(alias, new Set([...seen, name])) : undefined
    return target ? { ...target, ...own } : undefined
  }
  return Object.entries(catalogue).map(([name, entry]) => {
    const raw: NangoProvider = isObject(entry) ? entry : {}
    if (typeof raw.alias !== 'string') return { name, provider: raw }
    const provider = resolve(name, new Set())
    if (provider) return { name, provider, alias: raw.alias }
    const { alias, ...own } = raw
    return { name, provider: own, alias: String(alias), brokenAlias: true }
  })
}
