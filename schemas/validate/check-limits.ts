import { arrayOf, type Checker, type FieldInfo, isObject } from './context.ts'
import { pointer, readablePath } from './pointer.ts'

/** Rate limits say how fast or how many at once; an account scope names the account from the connection's fields. */
export function checkRateLimits(check: Checker, limits: unknown, fields: ReadonlyMap<string, FieldInfo>): void {
  if (!isObject(limits)) return
  if (limits.requests === undefined && limits.concurrency === undefined) {
    check.error('/rateLimits', 'noLimit', 'rateLimits must say "requests" (per "intervalMs"), "concurrency", or both')
  }
  // Only a hash of the rendered account is kept, so it may be made from a secret (an API key names its account).
  check.template(limits.account, '/rateLimits/account', { fields, secrets: true, what: 'the rate limit account' })
  if (limits.account !== undefined && limits.scope !== 'account') {
    check.warn('/rateLimits/account', 'accountIgnored', 'rateLimits.account is used only with scope "account"')
  }
}

/** A paginated action returns the gathered items; a cursor put in the body needs a JSON body to put it in. */
export function checkPagination(check: Checker, actions: unknown): void {
  arrayOf(actions).forEach((action, i) => {
    if (!isObject(action) || !isObject(action.pagination)) return
    const at = pointer('actions', i)
    const pagination = action.pagination
    if (action.output !== undefined) {
      check.warn(
        `${at}/output`,
        'outputIgnored',
        `${readablePath(`${at}/output`)} is not used: a paginated action returns the items at pagination.items`,
      )
    }
    if (pagination.type === 'cursor' && pagination.field !== undefined) {
      if (action.method === 'GET' || action.method === 'HEAD' || action.bodyType === 'form' || !isObject(action.body)) {
        check.error(
          `${at}/pagination/field`,
          'cursorNeedsBody',
          `${readablePath(`${at}/pagination/field`)} puts the cursor in the JSON body: give the action a JSON object body and a ` +
            `method that sends it (POST), or use "param"`,
        )
      }
    }
  })
}
