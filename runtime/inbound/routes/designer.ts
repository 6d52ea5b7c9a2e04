import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import type { Policy, RouteEnv } from '../access/index.ts'

/**
 * Serves the built designer (a single-page app with hash routes) from `dir`, or a page that says
 * how to build it. Public: the page itself holds nothing; what it shows comes from the API.
 *
 * @example
 * app.route('/', designerRoutes('dist/designer', policy))
 */
export function designerRoutes(dir: string | undefined, policy: Policy) {
  const app = new Hono<RouteEnv>()
  const declared = policy({ role: 'public', what: 'load the designer' })
  if (!dir || !existsSync(`${dir}/index.html`)) {
    return app.get('/', declared, (c) =>
      c.html(
        '<!doctype html><title>Switchboard</title><p>The designer is not built. Run <code>npm run build:designer</code> (npm start ' +
          'does it for you), then reload.</p>',
        503,
      ),
    )
  }
  const files = serveStatic({ root: relative(process.cwd(), dir) || '.' })
  return app
    .get(
      '/assets/*',
      declared,
      async (c, next) => {
        await next()
        if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
      },
      files,
    )
    .get('/*', declared, files)
}
