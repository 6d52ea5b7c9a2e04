import { joinedValue, type RawHeaders } from '../http/index.ts'

/** Longest hold an API's headers may ask for: a bogus reset time must not stop a connection for days. */
const MAX_HOLD_MS = 3_600_000

/**
 * `Retry-After` (RFC 9110 §10.2.3) in milliseconds: delay-seconds or an HTTP date.
 *
 * @example
 * retryAfterMs('2', Date.now()) // 2000
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  // An HTTP date names its weekday and month; without letters, `Date.parse` reads "-1" as a year.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * How long an API asks, through its own headers, to be left alone before the next request (milliseconds), or
 * `undefined` when it does not. Read: `Retry-After` on a 429 or 503; a budget used up (`remaining` 0) with its
 * reset time, in the forms APIs send it: `X-RateLimit-Remaining`/`X-RateLimit-Reset` (reset as seconds to wait,
 * or as a Unix time in seconds or milliseconds), `RateLimit-Remaining`/`RateLimit-Reset`
 * (draft-ietf-httpapi-ratelimit-headers before -07) and the structured `RateLimit: "default";r=0;t=30` (-07 on)
 * or `RateLimit: limit=100, remaining=0, reset=30`. Cheap when none is there: a few header lookups.
 *
 * @example
 * holdFromHeaders(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }, Date.now()) // 12000
 */
export function holdFromHeaders(status: number, headers: RawHeaders, now: number): number | undefined {
  const get = (name: string) => joinedValue(headers[name]) ?? null
  if (status === 429 || status === 503) {
    const wait = retryAfterMs(get('retry-after'), now)
    if (wait !== undefined) return Math.min(wait, MAX_HOLD_MS)
  }
  const x = get('x-ratelimit-remaining')
  if (x !== null) return used(x) ? resetMs(get('x-ratelimit-reset'), now) : undefined
  const draft = get('ratelimit-remaining')
  if (draft !== null) return used(draft) ? resetMs(get('ratelimit-reset'), now) : undefined
  const structured = get('ratelimit')
  if (structured !== null) return structuredHold(structured, now)
  return status === 429 ? 1000 : undefined
}

const used = (remaining: string) => Number(remaining.trim()) <= 0

/** A reset value: seconds to wait, or a Unix time in seconds (GitHub) or milliseconds. Unknown: one second. */
function resetMs(value: string | null, now: number): number {
  const n = Number(value?.trim() ?? NaN)
  if (!Number.isFinite(n) || n < 0) return 1000
  const ms = n > 1e12 ? n - now : n > 1e9 ? n * 1000 - now : n * 1000
  return Math.min(Math.max(ms, 0), MAX_HOLD_MS)
}

/** `"default";r=0;t=30, "daily";r=10;t=3600` or `limit=100, remaining=0, reset=30`: the longest hold of a used-up policy. */
function structuredHold(value: string, now: number): number | undefined {
  let hold: number | undefined
  const params = new Map<string, string>()
  for (const part of value.split(/[;,]/)) {
    const eq = part.indexOf('=')
    if (eq !== -1) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim())
  }
  // The dictionary form (one policy): remaining/reset.
  if (params.has('remaining') && used(params.get('remaining')!)) return resetMs(params.get('reset') ?? null, now)
  // The list form: each item a policy with its own r and t.
  for (const item of value.split(',')) {
    const r = /;\s*r=(\d+)/.exec(item)?.[1]
    if (r === undefined || Number(r) > 0) continue
    const t = /;\s*t=(\d+)/.exec(item)?.[1] ?? null
    const ms = resetMs(t, now)
    hold = Math.max(hold ?? 0, ms)
  }
  return hold
}
