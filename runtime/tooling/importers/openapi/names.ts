import { RESERVED_KEYS } from '../../../../schemas/validate/context.ts'

const KEY_MAX = 64

/**
 * A template key (`^[A-Za-z][A-Za-z0-9_]{0,63}$`) from any text, camel-cased at separators:
 * `list-repos` → `listRepos`, `X-Request-Id` → `xRequestId`, `2fa` → `k2fa`. Linear in the text.
 *
 * @example
 * toKey('repos/list-for-org') // 'reposListForOrg'
 */
export function toKey(text: string, fallback = 'value'): string {
  const words = text.slice(0, 4 * KEY_MAX).match(/[A-Za-z0-9]+/g) ?? []
  const first = (w: string) => (/^[A-Z0-9]+$/.test(w) ? w.toLowerCase() : w.charAt(0).toLowerCase() + w.slice(1))
  let key = words.map((w, i) => (i === 0 ? first(w) : w.charAt(0).toUpperCase() + w.slice(1))).join('')
  if (key === '') key = fallback
  if (!/^[A-Za-z]/.test(key)) key = `k${key}`
  return key.slice(0, KEY_MAX)
}

/**
 * Hands out keys unique within one scope (an action's inputs, a connector's fields): the second `id`
 * becomes `id_2`. Reserved template namespaces (`input`, `body`, `headers`) are never handed out.
 *
 * @example
 * const keys = new UniqueKeys(); keys.take('id'); keys.take('id') // 'id_2'
 */
export class UniqueKeys {
  private readonly taken = new Set<string>()

  constructor(taken: Iterable<string> = []) {
    for (const key of taken) this.taken.add(key)
  }

  take(wanted: string): string {
    let key = RESERVED_KEYS.has(wanted) ? `${wanted}Value` : wanted
    for (let n = 2; this.taken.has(key); n++) {
      const suffix = `_${n}`
      key = `${wanted.slice(0, KEY_MAX - suffix.length)}${suffix}`
    }
    this.taken.add(key)
    return key
  }

  has(key: string): boolean {
    return this.taken.has(key)
  }
}

/**
 * A readable key for an operation without an `operationId`: the method, then the path's words, with path
 * parameters as `By…`: `GET /repos/{owner}/issues` → `getReposByOwnerIssues`.
 *
 * @example
 * operationKey('delete', '/pets/{petId}') // 'deletePetsByPetId'
 */
export function operationKey(method: string, path: string): string {
  const words = path
    .slice(0, 1024)
    .split('/')
    .filter((s) => s !== '')
    .map((segment) => (/^\{.*\}$/.test(segment) ? `by ${segment.slice(1, -1)}` : segment))
  return toKey([method.toLowerCase(), ...words].join(' '))
}

/**
 * A connector id (`^[a-z][a-z0-9-]{1,62}[a-z0-9]$`) from a title: `Acme Cloud API` → `acme-cloud-api`.
 *
 * @example
 * connectorIdFrom('GitHub v3 REST API') // 'github-v3-rest-api'
 */
export function connectorIdFrom(title: string, fallback = 'imported-api'): string {
  const id = (
    title
      .slice(0, 200)
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  )
    .join('-')
    .replace(/^[0-9-]+/, '')
    .slice(0, 64)
    .replace(/-+$/, '')
  return /^[a-z][a-z0-9-]{1,62}[a-z0-9]$/.test(id) ? id : fallback
}

/**
 * Text cut to a schema's `maxLength`, whitespace runs collapsed; `undefined` when nothing is left.
 *
 * @example
 * clip('  Lists   pets.  ', 100) // 'Lists pets.'
 */
export function clip(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined
  const text = value
    .slice(0, max * 4)
    .replace(/\s+/g, ' ')
    .trim()
  if (text === '') return undefined
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/**
 * A human title from a key or an `operationId`: `listReposForOrg` → `List repos for org`.
 *
 * @example
 * humanize('repos/list-for-org') // 'Repos list for org'
 */
export function humanize(text: string): string {
  const spaced = text
    .slice(0, 240)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase()
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** An own property whatever its name: `__proto__` from a spec is a name like any other, never a prototype. */
export function put<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}
