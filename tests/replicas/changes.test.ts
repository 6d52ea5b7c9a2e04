/**
 * A change made through one replica is what the others use from their next request on: reconnected
 * credentials, a base URL that moved (and took the credentials with it), a revoked API token, a removed member,
 * a deleted connection. Each replica has served the record before the change, so whatever it keeps in memory
 * would answer with the old state if it were not dropped when another replica changed the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUpstream, type Upstream } from '../runtime/harness.ts'
import { freshDatabase } from '../support/postgres.ts'
import { type Answer, type Replica, type Replicas, startReplicas } from './replicas.ts'

const ROUNDS = 30

let replicas: Replicas
let first: Upstream
let second: Upstream
let all: Replica[]

beforeAll(async () => {
  // Both upstreams answer any key: what matters is which key and which host each request carried.
  const echo = () => ({ body: { ok: true } })
  first = await startUpstream(echo)
  second = await startUpstream(echo)
  replicas = await startReplicas({ databaseUrl: await freshDatabase() })
  all = replicas.all
})

afterAll(async () => {
  const crashed = replicas?.crashed() ?? []
  await replicas?.stop()
  await first?.close()
  await second?.close()
  // Each replica must have run until stopped here: one that ended by itself failed, whatever the calls answered.
  expect(crashed).toEqual([])
})

let tags = 0

/** A proxied call through `via`, tagged so the upstream request it caused can be found. */
async function proxied(via: Replica, id: string, token?: string): Promise<{ answer: Answer; tag: string }> {
  const tag = `t${++tags}`
  const answer = await replicas.call(via, 'GET', `/api/apps/default/connections/${id}/proxy/echo?tag=${tag}`, token ? { token } : {})
  return { answer, tag }
}

/** The X-Api-Key the upstream saw with the request tagged `tag` (undefined: the request never arrived). */
function keySeen(upstream: Upstream, tag: string): string | undefined {
  const seen = upstream.requests.find((r) => r.query.get('tag') === tag)
  return seen && String(seen.headers['x-api-key'])
}

async function apiKeyConnection(name: string, key: string): Promise<string> {
  const made = await replicas.call(all[0]!, 'POST', '/api/apps/default/connections', {
    body: {
      connectorId: 'generic-api-key',
      name,
      authMethod: 'header',
      values: { baseUrl: first.origin, testUrl: `${first.origin}/me`, apiKey: key },
    },
  })
  expect(made.status, made.text).toBe(201)
  return made.body.id as string
}

/** Calls through every replica; answers what went wrong (empty when each answered 200 and the upstream saw `key`). */
async function everyReplicaSends(id: string, key: string, order: Replica[] = all): Promise<string[]> {
  const wrong: string[] = []
  for (const via of order) {
    const { answer, tag } = await proxied(via, id)
    const seen = keySeen(first, tag)
    if (answer.status !== 200 || seen !== key) wrong.push(`${via.name}: ${answer.status}, upstream saw ${seen ?? 'nothing'}, not ${key}`)
  }
  return wrong
}

describe('a change on one replica is used by the others at once', () => {
  it(`credentials reconnected on one replica: every replica's next call sends the new key, never the old (${ROUNDS} rounds)`, async () => {
    const id = await apiKeyConnection('rotated key', 'replica-key-0')
    for (let i = 0; i < 3; i++) expect(await everyReplicaSends(id, 'replica-key-0')).toEqual([])
    const wrong: string[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      const changer = all[round % all.length]!
      const key = `replica-key-${round}`
      const put = await replicas.call(changer, 'PUT', `/api/apps/default/connections/${id}/credentials`, {
        body: { values: { apiKey: key } },
      })
      expect(put.status, put.text).toBe(200)
      // The other replicas first: they did not make the change and have served the old key just before.
      const others = all.filter((r) => r !== changer)
      wrong.push(...(await everyReplicaSends(id, key, [...others, changer])).map((w) => `round ${round} (changed on ${changer.name}) ${w}`))
    }
    expect(wrong).toEqual([])
  })

  it('base URL moved on one replica: the others send the old key to neither host, then the new key only to the new host', async () => {
    const [a, b, c] = all as [Replica, Replica, Replica]
    const id = await apiKeyConnection('moved', 'key-moved')
    expect(await everyReplicaSends(id, 'key-moved')).toEqual([])
    const moved = await replicas.call(a, 'PATCH', `/api/apps/default/connections/${id}`, {
      body: { values: { baseUrl: second.origin, testUrl: `${second.origin}/me` } },
    })
    expect(moved.status, moved.text).toBe(200)
    expect(moved.body.status).toBe('not_connected')
    for (const via of [b, c]) {
      const { answer, tag } = await proxied(via, id)
      expect(answer.status, `${via.name}: ${answer.text}`).toBe(428)
      expect(answer.body.error.code).toBe('connection_required')
      expect([keySeen(first, tag), keySeen(second, tag)]).toEqual([undefined, undefined])
    }
    const put = await replicas.call(b, 'PUT', `/api/apps/default/connections/${id}/credentials`, {
      body: { values: { apiKey: 'key-new-host' } },
    })
    expect(put.status, put.text).toBe(200)
    for (const via of [c, a]) {
      const { answer, tag } = await proxied(via, id)
      expect(answer.status, `${via.name}: ${answer.text}`).toBe(200)
      expect([keySeen(first, tag), keySeen(second, tag)]).toEqual([undefined, 'key-new-host'])
    }
    expect(second.requests.map((r) => r.headers['x-api-key'])).not.toContain('key-moved')
  })

  it('an API token revoked on one replica is refused by the others at once', async () => {
    const [a, b, c] = all as [Replica, Replica, Replica]
    const id = await apiKeyConnection('token holder', 'key-token')
    const issued = await replicas.call(a, 'POST', '/api/users/owner/tokens', { body: { name: 'to be revoked' } })
    expect(issued.status, issued.text).toBe(201)
    for (const via of all) expect((await proxied(via, id, issued.body.token)).answer.status).toBe(200)
    const revoked = await replicas.call(c, 'DELETE', `/api/tokens/${issued.body.id}`)
    expect(revoked.status, revoked.text).toBe(200)
    for (const via of [a, b]) {
      const { answer, tag } = await proxied(via, id, issued.body.token)
      expect(answer.status, `${via.name}: ${answer.text}`).toBe(401)
      expect(keySeen(first, tag)).toBeUndefined()
    }
  })

  it('a member removed on one replica is refused by the others at once', async () => {
    const [a, b, c] = all as [Replica, Replica, Replica]
    const id = await apiKeyConnection('shared with mia', 'key-member')
    const user = await replicas.call(a, 'POST', '/api/users', { body: { name: 'Mia' } })
    expect(user.status, user.text).toBe(201)
    const mia = user.body.id as string
    expect((await replicas.call(a, 'PUT', `/api/apps/default/members/${mia}`, { body: { role: 'member' } })).status).toBe(200)
    const token = (await replicas.call(a, 'POST', `/api/users/${mia}/tokens`, { body: { name: 'mia' } })).body.token as string
    for (const via of all) expect((await proxied(via, id, token)).answer.status).toBe(200)
    const removed = await replicas.call(b, 'DELETE', `/api/apps/default/members/${mia}`)
    expect(removed.status, removed.text).toBe(200)
    for (const via of [c, a]) {
      const { answer, tag } = await proxied(via, id, token)
      expect([403, 404], `${via.name}: ${answer.status} ${answer.text}`).toContain(answer.status)
      expect(keySeen(first, tag)).toBeUndefined()
    }
  })

  it('a connection deleted on one replica is gone on the others at once', async () => {
    const [a, b, c] = all as [Replica, Replica, Replica]
    const id = await apiKeyConnection('deleted', 'key-deleted')
    expect(await everyReplicaSends(id, 'key-deleted')).toEqual([])
    expect((await replicas.call(c, 'DELETE', `/api/apps/default/connections/${id}`)).status).toBe(204)
    for (const via of [a, b]) {
      const { answer, tag } = await proxied(via, id)
      expect(answer.status, `${via.name}: ${answer.text}`).toBe(404)
      expect(keySeen(first, tag)).toBeUndefined()
    }
  })
})
