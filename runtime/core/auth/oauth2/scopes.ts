import type { Connector, OAuth2Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'

/** A scope token (RFC 6749 §3.3): printable ASCII without space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/**
 * Scopes as a token response or a query gives them: space-separated (RFC 6749 §3.3), comma-separated
 * (Slack, GitHub) or already a list. `undefined` when there is nothing usable.
 *
 * @example
 * parseScopes('chat:write,users:read') // ['chat:write', 'users:read']
 * parseScopes('openid email')          // ['openid', 'email']
 */
export function parseScopes(value: unknown): string[] | undefined {
  const parts = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : undefined
  if (!parts) return undefined
  return unique(parts.map((s) => s.trim()).filter((s) => s !== ''))
}

/**
 * What a connection asks for: the method's default scopes, the scopes the app's actions need, the
 * scopes it was granted already (so re-authorizing never loses any) and the extra ones asked for now,
 * in that order, without repeats.
 *
 * @example
 * requestedScopes(method, ['repo'], ['gist'], ['issues:write']) // ['read:user', 'issues:write', 'repo', 'gist']
 */
export function requestedScopes(
  method: Pick<OAuth2Auth, 'defaultScopes'>,
  granted: readonly string[] | undefined,
  extra: readonly string[] = [],
  needed: readonly string[] = [],
): string[] {
  return unique([...(method.defaultScopes ?? []), ...needed, ...(granted ?? []), ...extra])
}

/**
 * The scopes the actions an app uses need from one connector (`<connectorId>.<actionKey>` entries),
 * limited to what the OAuth2 method offers.
 *
 * @example
 * scopesForAppActions(connector, method, ['github.createIssue', 'slack.postMessage']) // ['repo']
 */
export function scopesForAppActions(
  connector: Connector,
  method: Pick<OAuth2Auth, 'scopes'>,
  uses: readonly string[] | undefined,
): string[] {
  const offered = method.scopes?.map((s) => s.value)
  const keys = new Set((uses ?? []).filter((ref) => ref.startsWith(`${connector.id}.`)).map((ref) => ref.slice(connector.id.length + 1)))
  const scopes = (connector.actions ?? []).filter((a) => keys.has(a.key)).flatMap((a) => a.scopes ?? [])
  return unique(scopes.filter((s) => !offered || offered.includes(s)))
}

/**
 * The `?scopes=a,b` of an authorize request, checked: valid scope tokens, and offered by the method when
 * it lists what it offers.
 *
 * @example
 * extraScopes('gist,repo', method) // ['gist', 'repo']
 */
export function extraScopes(query: string | undefined, method: Pick<OAuth2Auth, 'scopes'>): string[] {
  const scopes = parseScopes(query ?? '') ?? []
  const offered = method.scopes?.map((s) => s.value)
  for (const scope of scopes) {
    if (!SCOPE_TOKEN.test(scope) || scope.length > 512) {
      throw new SwitchboardError(
        400,
        'invalid_scope',
        'A requested scope contains characters scopes cannot have (spaces, quotes, backslashes or non-ASCII).',
      )
    }
    if (offered && !offered.includes(scope)) {
      throw new SwitchboardError(
        400,
        'unknown_scope',
        `The connector does not offer the scope "${scope}". It offers: ${offered.join(', ')}.`,
        { details: { scope } },
      )
    }
  }
  return scopes
}

/**
 * Scopes joined for the authorize request. `+` joins with a space, which the query encoding writes as `+`.
 *
 * @example
 * joinScopes(['a', 'b'], ',') // 'a,b'
 */
export function joinScopes(scopes: readonly string[], separator: OAuth2Auth['scopeSeparator']): string {
  return scopes.join(separator === ',' ? ',' : ' ')
}

/**
 * The scopes of `required` that `granted` lacks.
 *
 * @example
 * missingScopes(['repo', 'gist'], ['repo']) // ['gist']
 */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted)
  return required.filter((scope) => !have.has(scope))
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)]
}
