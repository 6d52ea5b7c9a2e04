import { readFileSync } from 'node:fs'
import { Hono } from 'hono'
import { SwitchboardError } from '../../errors.ts'
import type { Policy, RouteEnv } from '../access/index.ts'
import { type DeclaredRoute, openApiDocument } from '../openapi/index.ts'

/** The reference page's files, read once: the page runs air-gapped, so nothing comes from elsewhere. */
const PAGE_DIR = new URL('../openapi/page/', import.meta.url)
const ASSETS: Record<string, string> = { 'docs.js': 'text/javascript; charset=utf-8', 'docs.css': 'text/css; charset=utf-8' }

/**
 * `GET /api/openapi.json` (the API as OpenAPI 3.1, built on first request from the routes the app registered
 * and `api.schema.json`, then kept) and `GET /api/docs` (an interactive reference page served from the
 * runtime's own files). Public: they describe the API, not anything stored in it.
 *
 * @example
 * app.route('/api', apiReferenceRoutes({ policy, routes: () => declaredRoutes(app), publicUrl, version: '0.1.0' }))
 */
export function apiReferenceRoutes(deps: { policy: Policy; routes: () => readonly DeclaredRoute[]; publicUrl: string; version: string }) {
  const { policy } = deps
  let document: string | undefined
  const files = new Map<string, string>()
  const file = (name: string) => {
    let text = files.get(name)
    if (text === undefined) files.set(name, (text = readFileSync(new URL(name, PAGE_DIR), 'utf8')))
    return text
  }
  return new Hono<RouteEnv>()
    .get('/openapi.json', policy({ role: 'public', what: 'read the API description' }), (c) => {
      document ??= JSON.stringify(openApiDocument({ routes: deps.routes(), publicUrl: deps.publicUrl, version: deps.version }))
      return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' })
    })
    .get('/docs', policy({ role: 'public', what: 'read the API reference' }), (c) => c.html(file('index.html')))
    .get('/docs/assets/:file', policy({ role: 'public', what: "load the API reference's files" }), (c) => {
      const name = c.req.param('file')
      const type = ASSETS[name]
      if (!type) throw new SwitchboardError(404, 'route_not_found', `There is no file ${c.req.path}.`)
      return c.body(file(name), 200, { 'Content-Type': type, 'Cache-Control': 'no-cache' })
    })
}
