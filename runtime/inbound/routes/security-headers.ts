import type { Context, MiddlewareHandler } from 'hono'

/**
 * The designer's Content-Security-Policy: its own scripts, styles and API only. Images may also be
 * `data:` URIs and https URLs, the two forms a connector's icon takes. No page may frame it, so a
 * click on "Sign in as …" or "Delete" is always the person's own. Scripts come only from the runtime's
 * own files — no inline script or event handler runs — but may compile code: the designer validates
 * drafts with the same ajv schema as the runtime, and ajv turns schemas into functions.
 *
 * @example
 * res.headers.get('content-security-policy') === DESIGNER_CSP // on `/` and every designer file
 */
export const DESIGNER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * API answers (JSON, and proxied upstream bodies) are data: opened in a browser they run and load nothing.
 *
 * @example
 * res.headers.get('content-security-policy') === API_CSP // on everything under /api
 */
export const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"

/**
 * The API reference page (`/api/docs`): its own script and styles, and calls to the API it describes; nothing
 * else is loaded, nothing frames it, and it has no form to post anywhere.
 *
 * @example
 * res.headers.get('content-security-policy') === API_DOCS_CSP // on /api/docs and its files
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Security headers on every answer: the CSP for what it is (designer page, API, or the API's reference page), no framing, no MIME
 * sniffing (a proxied `text/plain` body stays text), and no Referer with the runtime's URLs in it.
 *
 * @example
 * app.use(securityHeaders())
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    const path = c.req.path
    const api = path === '/api' || path.startsWith('/api/')
    const docs = path === '/api/docs' || path.startsWith('/api/docs/')
    setHeaders(c, {
      'Content-Security-Policy': docs ? API_DOCS_CSP : api ? API_CSP : DESIGNER_CSP,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    })
  }
}

function setHeaders(c: Context, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  } catch {
    // A response whose headers are immutable (one returned by fetch) is copied; its body streams on.
    c.res = new Response(c.res.body, c.res)
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}
