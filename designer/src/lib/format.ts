/** Small formatting helpers the pages share. */

const AUTH_TYPES: Record<string, string> = {
  basic: 'Basic',
  apiKey: 'API key',
  bearer: 'Bearer token',
  oauth2: 'OAuth2',
  none: 'No authentication',
  awsSigV4: 'AWS SigV4',
  hmac: 'HMAC signature',
  oauth1: 'OAuth 1.0a',
  mtls: 'Client certificate',
  jwt: 'Signed JWT',
  session: 'Session login',
}

/**
 * A person's word for an auth method type.
 *
 * @example
 * authTypeLabel('apiKey') // 'API key'
 */
export function authTypeLabel(type: string): string {
  return AUTH_TYPES[type] ?? type
}

/**
 * A category id in words.
 *
 * @example
 * categoryLabel('project-management') // 'Project management'
 */
export function categoryLabel(category: string): string {
  const words = category.replace(/-/g, ' ')
  return category === 'crm' ? 'CRM' : category === 'hr' ? 'HR' : words.charAt(0).toUpperCase() + words.slice(1)
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

/**
 * How long ago an ISO time was, in words.
 *
 * @example
 * timeAgo(new Date(Date.now() - 90_000).toISOString()) // '2 minutes ago'
 */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000)
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 30],
    ['month', 12],
    ['year', Infinity],
  ]
  let value = seconds
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return Math.abs(seconds) < 10 ? 'just now' : relative.format(value, unit)
    value = Math.round(value / size)
  }
  return iso
}

/**
 * A full local date and time, for tooltips and `<time>`.
 *
 * @example
 * fullTime('2025-03-01T09:00:00Z') // '1 Mar 2025, 10:00:00'
 */
export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })
}
