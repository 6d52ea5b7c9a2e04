import { Agent, request } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FaultServer, startFaultServer } from '../actions/faults.ts'
import { createLab, type Lab } from '../actions/harness.ts'

const KEY = 'many_key_6e2f90ab'
const CALLS = 1000

let lab: Lab
let faults: FaultServer
let served: { origin: string; close(): Promise<void> }
let agent: Agent

beforeAll(async () => {
  faults = await startFaultServer()
  lab = await createLab({ http: { timeoutMs: 20_000 }, proxy: { timeoutMs: 20_000 } })
  served = await lab.serve()
  agent = new Agent({ connections: CALLS, pipelining: 0 })
})

afterAll(async () => {
  await agent.close()
  await served.close()
  await faults.close()
  await lab.close()
})

test(`${CALLS} concurrent proxied requests over one connection all complete, each with its own answer`, async () => {
  const id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/ok`, apiKey: KEY } })
  const url = (i: number) => `${served.origin}/api/apps/default/connections/${id}/proxy/item/${i}?n=${i}`
  const headers = { authorization: `Bearer ${lab.token}` }
  const results = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      const post = i % 4 === 0
      const res = await request(url(i), {
        dispatcher: agent,
        method: post ? 'POST' : 'GET',
        headers: post ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(post ? { body: JSON.stringify({ i }) } : {}),
      })
      const body = (await res.body.json()) as { method: string; url: string; body: string; headers: Record<string, string> }
      return { i, status: res.statusCode, body }
    }),
  )

  const failed = results.filter((r: { status: number }) => r.status !== 200)
  expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([])
  for (const { i, body } of results) {
    expect(body.url).toBe(`/ok/item/${i}?n=${i}&key=${'*'.repeat(KEY.length)}`)
    expect(body.method).toBe(i % 4 === 0 ? 'POST' : 'GET')
    if (i % 4 === 0) expect(body.body).toBe(JSON.stringify({ i }))
  }
  expect(faults.requests.filter((r) => r.path.startsWith('/ok/item/'))).toHaveLength(CALLS)
  expect(faults.requests.every((r) => !r.path.startsWith('/ok/item/') || r.headers['x-api-key'] === KEY)).toBe(true)
  const runs = await lab.runs.list('default', id)
  expect(runs).toHaveLength(CALLS)
  expect(runs.every((r) => r.outcome === 'ok' && r.status === 200)).toBe(true)
}, 120_000)
