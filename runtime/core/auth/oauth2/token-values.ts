import type { Connector } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { originAllowed } from '../../connections/origin.ts'
import type { TokenSet } from './token-response.ts'

/** What a token response changes on the connection: its base URL and the values the connector saves. */
export interface TokenValues {
  baseUrl?: string
  fields?: Record<string, string>
}

/**
 * What a token response says about the connection (`tokenResponse.baseUrl`, `tokenResponse.values`): Salesforce
 * answers `instance_url: https://acme.my.salesforce.com`, which becomes the base URL. The token endpoint does not
 * get to choose where the credentials go: only an origin the connector's `allowedHosts` admits is taken (https
 * unless an entry says http), and anything else refuses the authorization with 400 `base_url_not_allowed`.
 *
 * @example
 * tokenValues(salesforce, { accessToken, baseUrl: 'https://acme.my.salesforce.com' }) // { baseUrl: 'https://acme.my.salesforce.com' }
 */
export function tokenValues(connector: Pick<Connector, 'allowedHosts'>, tokens: TokenSet): TokenValues {
  const out: TokenValues = {}
  if (tokens.values) out.fields = tokens.values
  if (tokens.baseUrl === undefined) return out
  const url = URL.canParse(tokens.baseUrl) ? new URL(tokens.baseUrl) : undefined
  if (!url || url.username || url.password || url.search || !originAllowed(url, connector.allowedHosts)) {
    throw new SwitchboardError(
      400,
      'base_url_not_allowed',
      "The provider's token response names an instance URL outside the hosts this connector allows, so the credentials " +
        'were not stored. Check that you signed in to the right provider.',
    )
  }
  out.baseUrl = url.href.replace(/\/$/, '')
  return out
}
