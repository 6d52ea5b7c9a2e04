/**
 * Every action of every built-in connector, run through a connection against a loopback stand-in: the
 * request must be what the action's templates say (method, path under the base path, query, headers,
 * body) plus the auth method's credentials, and the answer must carry the action's output selection.
 * Then each required input, left out, must be a 400 that points at it.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Action, Connector } from '../../schemas/types/connector.ts'
import { builtIns, createLab, type Lab } from './harness.ts'
import {
  expectedAuth,
  fieldValues,
  type InputSchema,
  nest,
  render,
  renderJson,
  resolver,
  sampleInputs,
  sessionFor,
  testMethod,
} from './samples.ts'

interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  body: string
}

const catalogue = [...(await builtIns()).values()].filter((c) => (c.actions ?? []).length > 0).sort((a, b) => a.id.localeCompare(b.id))
const ACCESS_TOKEN = 'oauth_access_7d1c55e0b2'
const OUTPUT = { selected: 'the part the action picks' }

let lab: Lab
let standIn: http.Server
let origin: string
let seen: Seen[] = []
/** What the stand-in answers next. */
let reply: unknown = {}
const connections = new Map<string, { id: string; values: Record<string, string> }>()

beforeAll(async () => {
  lab = await createLab()
  standIn = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      seen.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(reply))
    })
  })
  await new Promise<void>((done) => standIn.listen(0, '127.0.0.1', () => done()))
  origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`
})

afterAll(async () => {
  standIn.closeAllConnections()
  await new Promise<void>((done) => standIn.close(() => done()))
  await lab.close()
})

/** The connector's base path, rendered with the connection's values (`/ex/jira/<cloudId>`, `/3.0`). */
function basePath(connector: Connector, values: Record<string, string>): string {
  const template = connector.baseUrl.replace(/^https?:\/\/[^/]*/, '')
  return render(template, ([key]) => values[key!], encodeURIComponent).replace(/\/$/, '')
}

/** One connection per connector, on the stand-in, connected with the auth method the test uses. */
async function connectionFor(connector: Connector): Promise<{ id: string; values: Record<string, string> }> {
  const known = connections.get(connector.id)
  if (known) return known
  const method = testMethod(connector)
  const values = fieldValues(connector, method)
  const id = await lab.connect({
    connectorId: connector.id,
    name: 'stand-in',
    authMethod: method.id,
    values,
    baseUrl: `${origin}${basePath(connector, values)}`,
  })
  // Token types get a token as if it had been obtained (a JWT method's exchanged token, OAuth2's access token).
  if (method.type === 'oauth2' || method.type === 'jwt') await lab.putAccessToken(id, ACCESS_TOKEN)
  if (method.type === 'session') await lab.putSession(id, sessionFor(method))
  connections.set(connector.id, { id, values })
  return connections.get(connector.id)!
}

describe.each(catalogue.map((c) => [c.id, c] as const))('%s', (_, connector) => {
  test.each((connector.actions ?? []).map((a) => [a.key, a] as const))('%s sends what its templates say', async (_key, action: Action) => {
    const { id, values } = await connectionFor(connector)
    const inputs = sampleInputs(action)
    seen = []
    reply = action.output ? nest(action.output, OUTPUT) : { echo: true }
    const res = await lab.api('POST', `/api/apps/default/connections/${id}/actions/${action.key}`, { body: { inputs } })
    expect(res.status, res.text).toBe(200)
    expect(seen).toHaveLength(1)
    const request = seen[0]!
    const method = testMethod(connector)
    const resolve = resolver(inputs, values, sessionFor(method))
    const auth = expectedAuth(method, values, ACCESS_TOKEN)

    expect(request.method).toBe(action.method)
    expect(request.path).toBe(basePath(connector, values) + render(action.path, resolve, encodeURIComponent))

    const query: Record<string, string> = {}
    for (const [name, template] of Object.entries(action.query ?? {})) {
      const value = render(template ?? '', resolve)
      if (value !== '') query[name] = value
    }
    Object.assign(query, auth.query)
    expect(Object.fromEntries([...request.query.keys()].map((k) => [k, request.query.getAll(k)]))).toEqual(
      Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    )

    const headers: Record<string, string> = {}
    for (const [name, template] of [...Object.entries(connector.headers ?? {}), ...Object.entries(action.headers ?? {})]) {
      const value = render(template ?? '', resolve)
      if (value !== '') headers[name.toLowerCase()] = value
    }
    Object.assign(headers, auth.headers)
    for (const [name, value] of Object.entries(headers)) expect(request.headers[name], name).toBe(value)
    expect(JSON.stringify(request.headers)).not.toContain(lab.token)

    if (action.body === undefined || action.method === 'GET') {
      expect(request.body).toBe('')
    } else if (action.bodyType === 'form') {
      expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded')
      const expected = Object.entries(renderJson(action.body, resolve) as Record<string, unknown>)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])
      expect([...new URLSearchParams(request.body)]).toEqual(expected)
    } else {
      expect(request.headers['content-type']).toBe('application/json')
      expect(JSON.parse(request.body)).toEqual(renderJson(action.body, resolve))
    }

    expect(res.body).toMatchObject({ ok: true, status: 200, attempts: 1 })
    expect(res.body.body).toEqual(action.output ? OUTPUT : { echo: true })
    for (const field of [...(connector.fields ?? []), ...(method.fields ?? [])]) {
      if (field.type === 'secret') expect(res.text).not.toContain(values[field.key])
    }
  })

  const required = (connector.actions ?? []).flatMap((a) => {
    const schema = (a.input ?? {}) as InputSchema
    return (schema.required ?? []).map((name) => [`${a.key}.${name}`, a, name, schema.properties?.[name]?.default] as const)
  })
  for (const [label, action, name, fallback] of required) {
    if (fallback === undefined) {
      test(`${label} left out: 400 invalid_inputs at /inputs/${name}`, async () => {
        const { id } = await connectionFor(connector)
        const inputs = sampleInputs(action)
        delete inputs[name]
        seen = []
        const res = await lab.api('POST', `/api/apps/default/connections/${id}/actions/${action.key}`, { body: { inputs } })
        expect(res.status).toBe(400)
        expect(res.body.error.code).toBe('invalid_inputs')
        expect(res.body.error.details.errors).toContainEqual(expect.objectContaining({ path: `/inputs/${name}`, keyword: 'required' }))
        expect(res.body.error.message).toContain(name)
        expect(seen).toEqual([])
      })
    } else {
      // Required with a default: leaving it out means the default, never a request without it.
      test(`${label} left out: its default ${JSON.stringify(fallback)} is sent`, async () => {
        const { id } = await connectionFor(connector)
        const inputs = sampleInputs(action)
        delete inputs[name]
        seen = []
        const res = await lab.api('POST', `/api/apps/default/connections/${id}/actions/${action.key}`, { body: { inputs } })
        expect(res.status, res.text).toBe(200)
        expect(res.body.request.method).toBe(action.method)
        const sent = JSON.stringify({ path: decodeURIComponent(seen[0]!.path), query: [...seen[0]!.query], body: seen[0]!.body })
        expect(sent).toContain(String(fallback))
      })
    }
  }
})

test('the catalogue has actions to test, and every one was run', async () => {
  expect(catalogue.length).toBeGreaterThanOrEqual(15)
  const runs = await Promise.all([...connections.values()].map(({ id }) => lab.runs.list('default', id)))
  const ran = new Set(
    runs
      .flat()
      .filter((r) => r.outcome === 'ok')
      .map((r) => `${r.connectionId}/${r.action}`),
  )
  expect(ran.size).toBe(catalogue.reduce((n, c) => n + (c.actions ?? []).length, 0))
})
