import { randomBytes } from 'node:crypto'
import type { OAuth1Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import type { SealedSecret } from '../../../platform/crypto/index.ts'
import type { HttpResponse } from '../../../platform/http/index.ts'
import type { CredentialRecord, CredentialSecrets } from '../../../types.ts'
import { type Actor, type ConnectionDeps, credentialId, credentialOwner, loadConnection, openCredentials } from '../../connections/index.ts'
import { createMasker, effectiveValues } from '../../requests/index.ts'
import { renderEndpoint, renderParams } from '../endpoints.ts'
import { stateId } from '../oauth2/authorize.ts'
import { designerReturn } from '../oauth2/internal/links.ts'
import type { OAuthStateRecord } from '../oauth2/types.ts'
import { saveSignIn, testedReturn } from '../sign-in.ts'
import { oauth1Signer } from './index.ts'
import { oauth1Header } from './sign.ts'

/** What the three-legged flow is built from. */
export interface OAuth1FlowOptions extends Omit<ConnectionDeps, 'newId'> {
  log: (line: string) => void
  /** How long a started flow is accepted (default 10 minutes). */
  stateTtlMs?: number | undefined
  /** Tests a connection right after it got its tokens (fills in the account label). */
  afterConnect?: (appId: string, id: string, actor: Actor) => Promise<{ ok: boolean; diagnosis?: string } | undefined>
}

/** A started OAuth 1.0a flow's state: the request token, its secret sealed. */
interface OAuth1State extends OAuthStateRecord {
  kind: 'oauth1'
  requestToken: string
  requestTokenSecret: SealedSecret
}

/** The callback's parameters. */
export interface OAuth1CallbackQuery {
  state?: string
  oauth_token?: string
  oauth_verifier?: string
  /** X sends `denied=<request token>` when the person cancels. */
  denied?: string
}

/**
 * The three-legged OAuth 1.0a flow (RFC 5849 §2): a request token obtained with the connection's consumer and
 * a callback that carries a single-use state, the person sent to the provider's authorize page, and at the
 * callback the verifier exchanged for the access token, which is sealed with the connection's credentials.
 * Token endpoints never follow redirects. The state is bound to the user and connection that started the flow,
 * used once and expires, as OAuth2's is; the request token must come back unchanged.
 *
 * @example
 * const flow = createOAuth1Flow(options)
 * const { url } = await flow.authorize({ appId: 'default', id: 'c_1', userId: 'owner' }) // 302 to url
 * const location = await flow.complete({ state, oauth_token, oauth_verifier }, sessionUserId) // 302 to location
 */
export function createOAuth1Flow(options: OAuth1FlowOptions) {
  const timeoutMs = 15_000

  async function consumerInput(appId: string, id: string, userId: string) {
    const loaded = await loadConnection(options, appId, id)
    const method = loaded.method
    if (method.type !== 'oauth1' || !method.requestTokenUrl || !method.authorizeUrl || !method.accessTokenUrl) {
      throw new SwitchboardError(
        409,
        'not_authorization_code',
        `"${loaded.record.name}" has no OAuth 1.0a sign-in: its credentials are entered. Connect it with PUT ` +
          `…/connections/${id}/credentials.`,
      )
    }
    const owner = credentialOwner(loaded.record, userId)
    const stored = await options.store.get<CredentialRecord>('credentials', credentialId(loaded.record.id, owner))
    const secrets = stored ? openCredentials(options.keyRing, stored) : undefined
    const values = effectiveValues(loaded.fields, loaded.record.fields, stored?.fields, secrets?.values)
    return {
      loaded,
      storedFields: stored?.fields,
      method: method as OAuth1Auth & Required<Pick<OAuth1Auth, 'requestTokenUrl' | 'authorizeUrl' | 'accessTokenUrl'>>,
      values,
      secrets,
    }
  }

  /** A signed POST to a token endpoint, its form answer parsed; the provider's refusal in plain words. */
  async function tokenCall(url: string, authorization: string, what: string, masked: string[]): Promise<URLSearchParams> {
    let response: HttpResponse
    try {
      response = await options.http.request({
        url,
        method: 'POST',
        headers: { Authorization: authorization },
        redirect: 'manual',
        timeoutMs,
        responseType: 'text',
      })
    } catch (error) {
      throw new SwitchboardError(502, 'provider_unavailable', `The provider's ${what} endpoint could not be reached. Try again shortly.`, {
        cause: error,
      })
    }
    const answer = new URLSearchParams(response.text)
    if (response.status >= 200 && response.status < 300 && answer.get('oauth_token') && answer.get('oauth_token_secret')) return answer
    const excerpt = createMasker(masked).text(response.text.slice(0, 200).replace(/[\u0000-\u001f]/g, ' '))
    if (response.status >= 500)
      throw new SwitchboardError(502, 'provider_unavailable', `The provider's ${what} endpoint failed (${response.status}).`)
    throw new SwitchboardError(
      400,
      'token_provider_error',
      `The provider refused the ${what} request (${response.status}): ${excerpt}. Check the consumer key and secret.`,
    )
  }

  return {
    /** Gets a request token and answers the provider's authorize URL to send the person to. */
    async authorize(start: { appId: string; id: string; userId: string }): Promise<{ url: string; expiresAt: string }> {
      const { loaded, method, values } = await consumerInput(start.appId, start.id, start.userId)
      const signer = oauth1Signer(method, { values, fields: loaded.fields })
      const state = randomBytes(32).toString('base64url')
      const callback = `${options.publicUrl}/oauth1/callback?state=${state}`
      const requestTokenUrl = renderEndpoint(method.requestTokenUrl, values, 'request token URL')
      const header = oauth1Header(
        { ...signer, extra: { oauth_callback: callback } },
        { method: 'POST', url: new URL(requestTokenUrl), headers: {}, body: undefined },
      )
      const answer = await tokenCall(requestTokenUrl, header, 'request token', [signer.consumerSecret ?? ''])
      // RFC 5849 §2.1: a provider that did not confirm the callback is an OAuth 1.0 provider (session fixation).
      if (answer.get('oauth_callback_confirmed') !== 'true') {
        throw new SwitchboardError(
          400,
          'token_provider_error',
          'The provider did not confirm the callback (oauth_callback_confirmed), as OAuth 1.0a requires.',
        )
      }
      const now = options.clock()
      const id = stateId(state)
      const record: OAuth1State = {
        id,
        kind: 'oauth1',
        userId: start.userId,
        appId: start.appId,
        connectionId: loaded.record.id,
        connectorId: loaded.connector.id,
        authMethod: method.id,
        scopes: [],
        redirectUri: callback,
        tokenUrl: renderEndpoint(method.accessTokenUrl, values, 'access token URL'),
        requestToken: answer.get('oauth_token')!,
        requestTokenSecret: options.keyRing.seal({ secret: answer.get('oauth_token_secret')! }, { connectionId: `oauth-state:${id}` }),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + (options.stateTtlMs ?? 10 * 60 * 1000)).toISOString(),
      }
      await options.store.put('oauthStates', record)
      const url = new URL(renderEndpoint(method.authorizeUrl, values, 'authorize URL'))
      for (const [name, value] of Object.entries(renderParams(method.authorizeParams, values))) url.searchParams.set(name, value)
      url.searchParams.set('oauth_token', record.requestToken)
      return { url: url.href, expiresAt: record.expiresAt }
    },

    /** Completes the flow at the callback and answers where to send the person (the designer's connection page). */
    async complete(query: OAuth1CallbackQuery, sessionUserId: string | undefined): Promise<string> {
      let target: { appId: string; connectionId: string } | undefined
      try {
        if (!query.state) throw refuse('state_missing', 'The answer from the provider has no state. Start connecting again.')
        const { state, replayed } = await consume(query.state)
        if (sessionUserId !== undefined && sessionUserId !== state.userId) {
          throw refuse('state_other_user', 'This sign-in was started by someone else. Start connecting from your own connection page.')
        }
        target = { appId: state.appId, connectionId: state.connectionId }
        if (replayed) throw refuse('state_replayed', 'This sign-in answer was already used. Start connecting again.')
        if (Date.parse(state.expiresAt) <= options.clock().getTime())
          throw refuse('flow_expired', 'The sign-in expired. Start connecting again.')
        if (query.denied !== undefined)
          return designerReturn(options.publicUrl, target, {
            oauth: 'error',
            code: 'access_denied',
            message: 'Access was not granted: the sign-in was declined at the provider.',
          })
        if (query.oauth_token !== state.requestToken || !query.oauth_verifier) {
          throw refuse('flow_outdated', 'The provider answered for another request token, or without a verifier. Start connecting again.')
        }
        const { loaded, method, values, secrets, storedFields } = await consumerInput(state.appId, state.connectionId, state.userId)
        if (loaded.connector.id !== state.connectorId || method.id !== state.authMethod) {
          throw refuse('flow_outdated', 'The connection changed its auth method after this sign-in started. Start connecting again.')
        }
        const tokenSecret = options.keyRing.open<{ secret: string }>(state.requestTokenSecret, {
          connectionId: `oauth-state:${state.id}`,
        }).secret
        const signer = oauth1Signer(method, { values, fields: loaded.fields })
        const header = oauth1Header(
          { ...signer, token: { key: state.requestToken, secret: tokenSecret }, extra: { oauth_verifier: query.oauth_verifier } },
          { method: 'POST', url: new URL(state.tokenUrl), headers: {}, body: undefined },
        )
        const answer = await tokenCall(state.tokenUrl, header, 'access token', [
          signer.consumerSecret ?? '',
          tokenSecret,
          query.oauth_verifier,
        ])
        const oauth1 = { token: answer.get('oauth_token')!, tokenSecret: answer.get('oauth_token_secret')! }
        const owner = await save(state, { ...(secrets ?? { values: {} }), ...(storedFields ? { fields: storedFields } : {}), oauth1 })
        options.log(`oauth1: connection ${state.connectionId} authorized${owner ? ` for user ${owner}` : ''}`)
        return await testedReturn(options, state, loaded.connector.test !== undefined, target)
      } catch (error) {
        if (!(error instanceof SwitchboardError)) throw error
        options.log(`oauth1: callback refused (${error.code})`)
        return designerReturn(options.publicUrl, target, { oauth: 'error', code: error.code, message: error.message })
      }
    },
  }

  async function consume(state: string): Promise<{ state: OAuth1State; replayed: boolean }> {
    const id = stateId(state)
    const at = options.clock().toISOString()
    const found = await options.store.transaction(async (tx) => {
      const record = await tx.get<OAuth1State>('oauthStates', id)
      if (!record || record.kind !== 'oauth1') return undefined
      if (record.usedAt === undefined) await tx.put<OAuthStateRecord>('oauthStates', { ...record, usedAt: at })
      return record
    })
    if (!found) throw refuse('state_unknown', 'This sign-in answer does not match any sign-in the runtime started. Start connecting again.')
    return { state: found, replayed: found.usedAt !== undefined }
  }

  function save(state: OAuth1State, secrets: CredentialSecrets): Promise<string | undefined> {
    return saveSignIn(options, state, () => secrets)
  }
}

/** The flow's type. */
export type OAuth1Flow = ReturnType<typeof createOAuth1Flow>

function refuse(code: string, message: string): SwitchboardError {
  return new SwitchboardError(400, code, message)
}
