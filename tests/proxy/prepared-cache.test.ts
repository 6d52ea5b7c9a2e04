/**
 * Every proxied call works from what is stored now. Opened credentials (and what is derived from them) are kept
 * in memory for a while, so each change to a connection or its credentials is made between two calls, and the
 * second call must carry what the change says — never what the first call used.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { putCredentials } from '../../runtime/core/connections/index.ts'
import type { ConnectionRecord } from '../../runtime/types.ts'
import { type FaultServer, startFaultServer } from '../actions/faults.ts'
import { createLab, type Lab } from '../actions/harness.ts'

let lab: Lab
let upstream: FaultServer
let other: FaultServer

beforeAll(async () => {
  upstream = await startFaultServer()
  other = await startFaultServer()
  lab = await createLab({ http: { timeoutMs: 20_000 }, proxy: { timeoutMs: 20_000 } })
})

afterAll(async () => {
  await lab.close()
  await upstream.close()
  await other.close()
})

let round = 0
beforeEach(() => {
  round++
})

/** A unique key per use, so one seen upstream can only come from the step that set it. */
const key = (what: string) => `cache_${what}_${round}_${Math.random().toString(36).slice(2, 10)}`

async function connection(apiKey: string, sharing: 'shared' | 'personal' = 'shared'): Promise<string> {
  return lab.connect({ connectorId: 'fault-lab', sharing, values: { baseUrl: `${upstream.origin}/ok`, apiKey } })
}

/** One proxied call; answers the status and the API key the upstream saw (exactly one request, on either host). */
async function call(id: string, path = 'item'): Promise<{ status: number; sent?: string; code?: string }> {
  const before = [upstream.requests.length, other.requests.length]
  const res = await lab.api('GET', `/api/apps/default/connections/${id}/proxy/${path}`)
  const seen = [...upstream.requests.slice(before[0]), ...other.requests.slice(before[1])]
  if (res.status !== 200) {
    expect(seen).toEqual([])
    return { status: res.status, code: res.body?.error?.code }
  }
  expect(seen).toHaveLength(1)
  expect(seen[0]!.path.includes(`/${path}`)).toBe(true)
  return { status: 200, sent: seen[0]!.headers['x-api-key'] as string }
}

describe('what a call sends follows every change to its connection', () => {
  test('reconnect: the next call sends the new key, many times over', async () => {
    let current = key('first')
    const id = await connection(current)
    expect(await call(id)).toEqual({ status: 200, sent: current })
    for (let i = 0; i < 20; i++) {
      const next = key(`re${i}`)
      const res = await lab.api('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: { apiKey: next } } })
      expect(res.status, res.text).toBe(200)
      expect(await call(id)).toEqual({ status: 200, sent: next })
      current = next
    }
    expect(await call(id)).toEqual({ status: 200, sent: current })
  })

  test('unauthorize: the next call sends nothing and is refused', async () => {
    const secret = key('gone')
    const id = await connection(secret)
    expect(await call(id)).toEqual({ status: 200, sent: secret })
    const before = upstream.requests.length
    const res = await lab.api('DELETE', `/api/apps/default/connections/${id}/credentials`)
    expect(res.status, res.text).toBe(200)
    const after = await call(id)
    expect(after.status).toBe(428)
    expect(upstream.requests.length).toBe(before)
  })

  test('a credential rewritten in the store by another writer (a refresh elsewhere, a key rotation) is used next', async () => {
    const first = key('store1')
    const id = await connection(first)
    expect(await call(id)).toEqual({ status: 200, sent: first })
    for (const next of [key('store2'), key('store3')]) {
      await lab.store.transaction(async (tx) => {
        const record = (await tx.get<ConnectionRecord>('connections', id))!
        await putCredentials(tx, lab.keyRing, record, undefined, { values: { apiKey: next } }, new Date().toISOString())
      })
      expect(await call(id)).toEqual({ status: 200, sent: next })
    }
  })

  test('the same values sealed again are opened again (a new seal), and still sent right', async () => {
    const same = key('same')
    const id = await connection(same)
    expect(await call(id)).toEqual({ status: 200, sent: same })
    const res = await lab.api('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: { apiKey: same } } })
    expect(res.status).toBe(200)
    expect(await call(id)).toEqual({ status: 200, sent: same })
  })

  test('sharing switched to personal: the shared key is no longer sent; the caller must connect their own', async () => {
    const shared = key('shared')
    const id = await connection(shared)
    expect(await call(id)).toEqual({ status: 200, sent: shared })
    const before = upstream.requests.length
    const res = await lab.api('PATCH', `/api/apps/default/connections/${id}`, { body: { sharing: 'personal' } })
    expect(res.status, res.text).toBe(200)
    const refused = await call(id)
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(upstream.requests.length).toBe(before)
    const own = key('own')
    const connected = await lab.api('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: { apiKey: own } } })
    expect(connected.status, connected.text).toBe(200)
    expect(await call(id)).toEqual({ status: 200, sent: own })
    const back = await lab.api('PATCH', `/api/apps/default/connections/${id}`, { body: { sharing: 'shared' } })
    expect(back.status, back.text).toBe(200)
    const after = await call(id)
    // Back to shared: whatever is sent now is the shared credential the connection holds, never the personal one.
    if (after.status === 200) expect(after.sent).not.toBe(own)
  })

  test('base URL moved under the same origin: the next call goes to the new path with the credential', async () => {
    const secret = key('path')
    const id = await connection(secret)
    expect(await call(id)).toEqual({ status: 200, sent: secret })
    const moved = await lab.api('PATCH', `/api/apps/default/connections/${id}`, {
      body: { values: { baseUrl: `${upstream.origin}/ok/v2` } },
    })
    expect(moved.status, moved.text).toBe(200)
    expect(await call(id, 'item')).toEqual({ status: 200, sent: secret })
    expect(upstream.requests.at(-1)!.path.startsWith('/ok/v2/item')).toBe(true)
  })

  test('base URL moved to another host: the credential goes nowhere until connected again, then to the new host only', async () => {
    const secret = key('moved')
    const id = await connection(secret)
    expect(await call(id)).toEqual({ status: 200, sent: secret })
    const oldCount = upstream.requests.length
    const moved = await lab.api('PATCH', `/api/apps/default/connections/${id}`, { body: { values: { baseUrl: `${other.origin}/ok` } } })
    expect(moved.status, moved.text).toBe(200)
    expect(await call(id)).toMatchObject({ status: 428, code: 'connection_required' })
    expect(other.requests.length).toBe(0)
    const fresh = key('there')
    expect((await lab.api('PUT', `/api/apps/default/connections/${id}/credentials`, { body: { values: { apiKey: fresh } } })).status).toBe(
      200,
    )
    const res = await lab.api('GET', `/api/apps/default/connections/${id}/proxy/item`)
    expect(res.status, res.text).toBe(200)
    expect(other.requests.at(-1)!.headers['x-api-key']).toBe(fresh)
    expect(upstream.requests.length).toBe(oldCount)
  })

  test('a deleted connection is not served from memory', async () => {
    const secret = key('deleted')
    const id = await connection(secret)
    expect(await call(id)).toEqual({ status: 200, sent: secret })
    const before = upstream.requests.length
    expect((await lab.api('DELETE', `/api/apps/default/connections/${id}`)).status).toBe(204)
    expect((await call(id)).status).toBe(404)
    expect(upstream.requests.length).toBe(before)
  })
})
