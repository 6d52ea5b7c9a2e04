/**
 * `switchboard/client` as a workflow uses it: a TypeScript script run as its own process (node bin/run-ts.js)
 * against a started runtime on a real socket, with a loopback upstream standing in for the third-party API.
 * It runs an action, sends a request through the proxy, lists connections, and gets the typed
 * `connection_required` error with its link; nothing it prints holds the connection's secret.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../runtime/config.ts'
import { type RunningServer, startServer } from '../../runtime/server.ts'
import { MASTER_KEY, repo, startUpstream, type Upstream } from '../runtime/harness.ts'

const SECRET = 'wf-canary-secret-5d1c9e'
let server: RunningServer
let upstream: Upstream
let dataDir: string
let token: string
const ids: Record<'connected' | 'unconnected', string> = { connected: '', unconnected: '' }

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const answer = (await res.json()) as Record<string, string>
  if (!res.ok) throw new Error(`setup: ${method} ${path} answered ${res.status} ${JSON.stringify(answer)}`)
  return answer
}

beforeAll(async () => {
  upstream = await startUpstream((req) => {
    if (req.headers.authorization !== `Bearer ${SECRET}`) return { status: 401, body: { message: 'Bad credentials' } }
    if (req.path === '/me') return { body: { login: 'octo', echoed: req.query.get('verbose') } }
    if (req.path === '/items') return { status: 201, body: { id: 7, name: JSON.parse(req.body).name } }
    return { status: 404, body: { message: 'Not Found' } }
  })
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-workflow-'))
  const env = { SWITCHBOARD_MASTER_KEY: MASTER_KEY }
  const config = readConfig({ PORT: '0', SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1', ...env }, repo)
  server = await startServer(config, { log: () => {}, env })
  token = new URL(server.signInUrl!).searchParams.get('token')!
  const field = { key: 'token', label: 'Token', type: 'secret', required: true }
  await api('POST', '/api/connectors', {
    id: 'workflow-lab',
    name: 'Workflow lab',
    baseUrl: upstream.origin,
    auth: [{ type: 'bearer', id: 'token', fields: [field], token: '{{token}}' }],
    test: { method: 'GET', path: '/me', successStatus: [200] },
    actions: [
      {
        key: 'createItem',
        name: 'Create an item',
        method: 'POST',
        path: '/items',
        input: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        body: { name: '{{input.name}}' },
      },
    ],
  })
  const connected = await api('POST', '/api/apps/default/connections', { connectorId: 'workflow-lab', name: 'Lab', sharing: 'shared' })
  await api('PUT', `/api/apps/default/connections/${connected.id}/credentials`, { authMethod: 'token', values: { token: SECRET } })
  const unconnected = await api('POST', '/api/apps/default/connections', { connectorId: 'workflow-lab', name: 'Lab 2', sharing: 'shared' })
  ids.connected = connected.id!
  ids.unconnected = unconnected.id!
})

afterAll(async () => {
  await server?.close()
  await upstream?.close()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('a workflow script using switchboard/client', () => {
  it('runs an action, proxies a call, lists connections and gets connection_required with its link', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repo, 'bin/run-ts.js'), 'tests/client/workflow.ts', ids.connected, ids.unconnected],
      { cwd: repo, env: { ...process.env, SWITCHBOARD_URL: server.url, SWITCHBOARD_TOKEN: token }, timeout: 60_000 },
    )
    expect(stderr).toBe('')
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!)
    expect(seen.connections.map((c: { name: string }) => c.name).sort()).toEqual(['Lab', 'Lab 2'])
    expect(seen.run).toEqual({ ok: true, status: 201, body: { id: 7, name: 'widget' } })
    expect(seen.proxied).toEqual({ status: 200, body: { login: 'octo', echoed: '1' } })
    // An upstream's own 404 is an answer, not a refusal of the runtime.
    expect(seen.upstreamError).toEqual({ status: 404, header: null })
    expect(seen.required).toMatchObject({ code: 'connection_required', status: 428 })
    expect(seen.required.connectUrl).toBe(`${server.url}/#/apps/default/connections/${ids.unconnected}/connect`)
    expect(seen.proxyRefused).toBe('connection_required')
    expect(stdout).not.toContain(SECRET)
    // The upstream got the credential on exactly the two requests and the one action that were sent.
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /items', 'GET /me', 'GET /missing'])
  })
})
