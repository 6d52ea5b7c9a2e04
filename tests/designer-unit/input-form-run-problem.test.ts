/**
 * What the action form shows when the runtime refuses a run, rendered on the server: the way out of
 * each refusal a person can fix (missing scopes, no credentials, an expired grant).
 */
import { render } from 'svelte/server'
import { describe, expect, test } from 'vitest'
import RunProblem from '../../designer/src/components/actions/RunProblem.svelte'
import { ApiError } from '../../designer/src/lib/api.ts'

const html = (error: Error) =>
  render(RunProblem, { props: { error, appId: 'default', connectionId: 'c_1' } }).body.replace(/<!--[\s\S]*?-->/g, '')

describe('a refused run', () => {
  test('scope_missing names the missing scopes and offers to authorize again with them', () => {
    const body = html(
      new ApiError(403, 'scope_missing', 'This action needs the scope gist.', {
        missing: ['gist'],
        granted: ['repo'],
        reauthorizeUrl: 'http://localhost:8787/api/apps/default/connections/c_1/oauth/authorize?scopes=gist',
      }),
    )
    expect(body).toContain('data-code="scope_missing"')
    expect(body).toContain('<code class="scope svelte-')
    expect(body).toMatch(/>gist<\/code>/)
    expect(body).toMatch(/<button[^>]*>Re-authorize with the missing scopes<\/button>/)
  })

  test('connection_required and connection_expired link to the connect form in this designer', () => {
    const required = html(
      new ApiError(428, 'connection_required', 'No credentials yet.', {
        connectUrl: 'http://localhost:8787/#/apps/default/connections/c_1/connect',
      }),
    )
    expect(required).toMatch(/<a class="btn small primary" href="#\/apps\/default\/connections\/c_1\/connect">Connect<\/a>/)
    const expired = html(
      new ApiError(428, 'connection_expired', 'Authorize again.', {
        connectUrl: 'http://localhost:8787/#/apps/default/connections/c_1/connect',
        authorizeUrl: 'x',
      }),
    )
    expect(expired).toMatch(/>Reconnect<\/a>/)
  })

  test('any other failure is its message, without a button', () => {
    const body = html(new ApiError(502, 'upstream_error', 'The API could not be reached.'))
    expect(body).toContain('The API could not be reached.')
    expect(body).not.toContain('<button')
    expect(body).not.toContain('<a ')
  })
})
