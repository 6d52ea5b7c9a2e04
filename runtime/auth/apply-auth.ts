import type { AuthMethod } from '../../schemas/types/connector.ts'
import { SwitchboardError } from '../errors.ts'
import { apiKeyAuth } from './api-key.ts'
import { basicAuth } from './basic.ts'
import { bearerAuth, bearerMaterial } from './bearer.ts'
import type { AuthInput, AuthMaterial } from './material.ts'

/**
 * What the chosen auth method adds to a request, from the connection's values. OAuth2 methods use
 * the access token, which the caller has made fresh (`accessToken`).
 *
 * @example
 * const material = applyAuth(method, { values, fields })
 */
export function applyAuth(method: AuthMethod, input: AuthInput, accessToken?: string): AuthMaterial {
  switch (method.type) {
    case 'basic':
      return basicAuth(method, input)
    case 'bearer':
      return bearerAuth(method, input)
    case 'apiKey':
      return apiKeyAuth(method, input)
    case 'oauth2':
      if (!accessToken) throw new SwitchboardError(428, 'missing_credentials', 'The connection has no OAuth2 access token. Connect it to authorize access.')
      return bearerMaterial(accessToken)
  }
}
