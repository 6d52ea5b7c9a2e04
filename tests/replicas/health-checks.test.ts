/**
 * Health checks across replicas: three runtimes, each with its own pool of connections to one PostgreSQL database,
 * its own catalogue, outbound client and schedule runner, on one controllable clock. When checks fall due and all
 * three look for them at once, each check runs exactly once (the lease in the schedule record), as the API's own
 * request log counts; the failures each send one `connection.failed` webhook, from whichever replica ran the check.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../../runtime/app.ts'
import { createCatalogue } from '../../runtime/core/catalogue/index.ts'
import { bootstrapWorkspace } from '../../runtime/inbound/callers/index.ts'
import { createKeyRing } from '../../runtime/platform/crypto/index.ts'
import { createHttpClient, type HttpClient } from '../../runtime/platform/http/index.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import { createPostgresStore, type Store } from '../../runtime/platform/store/index.ts'
import { basicOf, builtIns, MASTER_KEY, PUBLIC_URL, startUpstream, type Upstream } from '../runtime/harness.ts'
import { freshDatabase } from '../support/postgres.ts'

const HOUR = 3_600_000
const INTERVAL = 6 * HOUR
const CONNECTIONS = 8
const TOKEN = 'zd-replica-token-5d1e'

let now = Date.parse('2026-03-01T09:00:00.000Z')
const clock = () => new Date(now)
let dir: string
const stores: Store[] = []
const clients: HttpClient[] = []
const runtimes: Runtime[] = []
let owner: string
let api: Upstream
let receiver: Upstream
let refusing = false

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-health-replicas-'))
  const url = await freshDatabase()
  api = await startUpstream((request) => {
    const basic = basicOf(request.headers.authorization)
    return !refusing && basic?.password === TOKEN ? { body: { user: { id: 1 } } } : { status: 401, body: { error: 'no' } }
  })
  receiver = await startUpstream(() => ({ status: 204 }))
  for (let i = 0; i < 3; i++) {
    const store = await createPostgresStore({ url, log: () => {} })
    const http = createHttpClient({ allowedHosts: '127.0.0.1' })
    stores.push(store)
    clients.push(http)
    runtimes.push(
      createRuntime({
        store,
        http,
        catalogue: createCatalogue({ builtIns: await builtIns(), store, clock }),
        keyRing: createKeyRing({ dataDir: dir, env: { SWITCHBOARD_MASTER_KEY: MASTER_KEY } }),
        publicUrl: PUBLIC_URL,
        clock,
        logger: createLogger({ level: 'silent' }),
        health: { intervalMs: INTERVAL, random: () => 0.5, concurrency: 3 },
      }),
    )
  }
  owner = (await bootstrapWorkspace(stores[0]!, clock())).ownerToken!
})

afterAll(async () => {
  for (const runtime of runtimes) {
    await runtime.health.stop()
    await runtime.webhooks.stop()
  }
  for (const http of clients) await http.close()
  for (const store of stores) await store.close()
  await api?.close()
  await receiver?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function call(runtime: Runtime, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await runtime.app.request(path, {
    method,
    headers: { authorization: `Bearer ${owner}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** Every replica looks for due checks at the same moment; how many each ran. */
const tickAll = () => Promise.all(runtimes.map((r) => r.health.tick()))

/** How many test requests the API saw per connection (each connection has its own email). */
function checksPerConnection(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const request of api.requests) {
    const user = basicOf(request.headers.authorization)?.username ?? ''
    counts.set(user, (counts.get(user) ?? 0) + 1)
  }
  return counts
}

describe('health checks on three replicas sharing PostgreSQL', () => {
  let secret: string
  const ids: string[] = []

  it('schedules connections made on any replica, and checks their untested credentials at once', async () => {
    const hook = await call(runtimes[1]!, 'POST', '/api/apps/default/webhooks', {
      url: `${receiver.origin}/hook`,
      events: ['connection.failed'],
    })
    expect(hook.status).toBe(201)
    secret = hook.body.secret
    for (let i = 0; i < CONNECTIONS; i++) {
      const made = await call(runtimes[i % 3]!, 'POST', '/api/apps/default/connections', {
        connectorId: 'zendesk',
        authMethod: 'apiToken',
        name: `Zendesk ${i}`,
        values: { subdomain: 'acme', email: `agent${i}@acme.test`, apiToken: TOKEN },
        baseUrl: api.origin,
      })
      expect(made.status).toBe(201)
      ids.push(made.body.id)
    }
    // Typed credentials are untested: each connection is due at once, and checked once by one of the replicas.
    const first = await tickAll()
    console.info(`[health replicas] first checks per replica: ${first.join(', ')}`)
    expect(first.reduce((a, b) => a + b, 0)).toBe(CONNECTIONS)
    expect([...checksPerConnection().values()]).toEqual(Array(CONNECTIONS).fill(1))
    expect(await tickAll()).toEqual([0, 0, 0])
    expect(api.requests).toHaveLength(CONNECTIONS)
  })

  it('runs each due check exactly once, whichever replica takes it', async () => {
    now += INTERVAL + 1
    const ran = await tickAll()
    console.info(`[health replicas] checks run per replica: ${ran.join(', ')}`)
    expect(ran.reduce((a, b) => a + b, 0)).toBe(CONNECTIONS)
    expect([...checksPerConnection().values()]).toEqual(Array(CONNECTIONS).fill(2))
    // The same moment again: nothing is due anywhere.
    expect(await tickAll()).toEqual([0, 0, 0])
    expect(api.requests).toHaveLength(2 * CONNECTIONS)
  })

  it('runs the next round once too, and each failure is told once', async () => {
    refusing = true
    now += INTERVAL + 1
    const ran = await tickAll()
    expect(ran.reduce((a, b) => a + b, 0)).toBe(CONNECTIONS)
    expect([...checksPerConnection().values()]).toEqual(Array(CONNECTIONS).fill(3))
    await Promise.all(runtimes.map((r) => r.webhooks.idle()))
    const failed = receiver.requests.map((seen) => new Webhook(secret).verify(seen.body, seen.headers as Record<string, string>) as any)
    expect(failed.map((p) => p.type)).toEqual(Array(CONNECTIONS).fill('connection.failed'))
    expect(failed.map((p) => p.data.connectionId).sort()).toEqual([...ids].sort())
  })
})
