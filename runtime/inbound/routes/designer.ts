import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { Hono } from 'hono'
import { serveStatic } from '@hono/node-server/serve-static'

/**
 * Serves the built designer (a single-page app with hash routes) from `dir`, or a page that says
 * how to build it.
 *
 * @example
 * app.route('/', designerRoutes('dist/designer'))
 */
export function designerRoutes(dir: string | undefined) {
  const app = new Hono()
  if (!dir || !existsSync(`${dir}/index.html`)) {
    return app.get('/', (c) => c.html('<!doctype html><title>Switchboard</title><p>The designer is not built. Run <code>npm run build:designer</code> (npm start does it for you), then reload.</p>', 503))
  }
  const root = relative(process.cwd(), dir) || '.'
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('/*', serveStatic({ root }))
  return app
}
