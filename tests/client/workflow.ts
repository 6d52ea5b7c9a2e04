/**
 * A workflow as an integrator writes one, with nobody present: it imports the typed client by its package
 * name, lists the app's connections, runs an action, sends a request through a connection, and handles the
 * connection that still needs a person. Run as a child process by `workflow.test.ts`:
 *   SWITCHBOARD_URL=… SWITCHBOARD_TOKEN=… node bin/run-ts.js tests/client/workflow.ts <connected id> <unconnected id>
 * It prints one JSON line with what it saw.
 */

import { createClient, SwitchboardApiError } from 'switchboard/client'
import type { ActionResult, Connection } from '../../schemas/types/api.ts'

const [connectedId, unconnectedId] = process.argv.slice(3)
if (!connectedId || !unconnectedId) throw new Error('usage: workflow.ts <connected id> <unconnected id>')
const sb = createClient({ baseUrl: process.env.SWITCHBOARD_URL, token: process.env.SWITCHBOARD_TOKEN })

const connections: Connection[] = await sb.connections()
const run: ActionResult = await sb.runAction(connectedId, 'createItem', { name: 'widget' }, { mode: 'workflow' })
const proxied = await sb.proxy(connectedId, '/me?verbose=1', { mode: 'workflow', headers: { accept: 'application/json' } })
const upstreamError = await sb.proxy(connectedId, '/missing')

let required: { code: string; status: number; connectUrl: string | undefined; message: string } | undefined
try {
  await sb.runAction(unconnectedId, 'createItem', { name: 'never sent' }, { mode: 'workflow' })
} catch (error) {
  if (!(error instanceof SwitchboardApiError) || !error.is('connection_required')) throw error
  required = { code: error.code, status: error.status, connectUrl: error.details?.connectUrl, message: error.message }
}

let proxyRefused: string | undefined
try {
  await sb.proxy(unconnectedId, '/me')
} catch (error) {
  if (!(error instanceof SwitchboardApiError)) throw error
  proxyRefused = error.code
}

console.log(
  JSON.stringify({
    connections: connections.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    run: { ok: run.ok, status: run.status, body: run.body },
    proxied: { status: proxied.status, body: await proxied.json() },
    upstreamError: { status: upstreamError.status, header: upstreamError.headers.get('x-switchboard-error') },
    required,
    proxyRefused,
  }),
)
