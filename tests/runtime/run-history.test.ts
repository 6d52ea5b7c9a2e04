/**
 * The durable run history: every action run and proxied call is kept (method, path without its query, status,
 * duration, attempts, who, which connection) and never a body, a query string or a secret; it is read a page at a
 * time by app or connection, kind, outcome and time; and it survives a restart, on the engine this run tests.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../runtime/config.ts'
import { createLogger } from '../../runtime/platform/log/index.ts'
import { startServer } from '../../runtime/server.ts'
import { freshDatabase } from '../support/postgres.ts'
import { TEST_ENGINE } from '../support/store.ts'
import { closedPort, createHarness, type Harness, MASTER_KEY, marker, repo, startUpstream, type Upstream } from './harness.ts'

const connections = '/api/apps/default/connections'
const runs = '/api/apps/default/runs'

let h: Harness
let upstream: Upstream
let github: string
let gone: string
const canaries: string[] = []

function canary(prefix = ''): string {
  const value = `${prefix}${marker('CANARY')}`
  canaries.push(value)
  return value
}

/** Every page of a query, following `next`. */
async function allPages(path: string): Promise<any[]> {
  const out: any[] = []
  let next: string | undefined
  for (let pages = 0; pages < 50; pages++) {
    const res = await h.call('GET', `${path}${path.includes('?') ? '&' : '?'}${next ? `before=${encodeURIComponent(next)}` : ''}`)
    expect(res.status, res.text).toBe(200)
    out.push(...res.body.runs)
    next = res.body.next
    if (!next) return out
  }
  throw new Error('more than 50 pages')
}

beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream((request) =>
    request.path.startsWith('/fail') ? { status: 500, body: { echoed: request.url } } : { body: { ok: true, echoed: request.url } },
  )
  const created = await h.call('POST', connections, {
    body: { connectorId: 'github', name: 'GitHub', values: { token: canary('ghp_') }, baseUrl: upstream.origin },
  })
  expect(created.status, created.text).toBe(201)
  github = created.body.id
  const other = await h.call('POST', connections, {
    body: { connectorId: 'github', name: 'Gone', values: { token: canary('ghp_') }, baseUrl: `http://127.0.0.1:${await closedPort()}` },
  })
  expect(other.status, other.text).toBe(201)
  gone = other.body.id

  // 3 proxied calls with secrets in the query and the body, 1 that the upstream fails, 2 actions, 1 that fails to send.
  for (let i = 0; i < 3; i++) {
    const res = await h.call('POST', `${connections}/${github}/proxy/repos/o/r/issues?access_token=${canary()}&n=${i}`, {
      raw: JSON.stringify({ title: canary() }),
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(200)
  }
  expect((await h.call('GET', `${connections}/${github}/proxy/fail?key=${canary()}`)).status).toBe(500)
  for (let i = 0; i < 2; i++) {
    const res = await h.call('POST', `${connections}/${github}/actions/createIssue`, {
      body: { inputs: { owner: 'o', repo: 'r', title: canary(), description: canary() } },
    })
    expect(res.status, res.text).toBe(200)
  }
  expect((await h.call('GET', `${connections}/${gone}/proxy/user?token=${canary()}`)).status).toBe(502)
})

afterAll(async () => {
  await h?.close()
  await upstream?.close()
})

describe('what is kept', () => {
  it('every action run and proxied call: method, path without query, status, attempts, who, which connection', async () => {
    const all = await allPages(runs)
    expect(all).toHaveLength(7)
    const proxied = all.filter((r) => r.kind === 'proxy' && r.connectionId === github && r.outcome === 'ok')
    expect(proxied).toHaveLength(3)
    for (const run of proxied) {
      expect(run).toMatchObject({ appId: 'default', userId: 'owner', method: 'POST', path: '/repos/o/r/issues', status: 200, attempts: 1 })
      expect(typeof run.durationMs).toBe('number')
    }
    expect(all.find((r) => r.path === '/fail')).toMatchObject({ outcome: 'http_error', status: 500, method: 'GET' })
    expect(all.filter((r) => r.kind === 'action')).toMatchObject([
      { action: 'createIssue', method: 'POST', outcome: 'ok', status: 200 },
      { action: 'createIssue', method: 'POST', outcome: 'ok', status: 200 },
    ])
    expect(all.find((r) => r.connectionId === gone)).toMatchObject({ kind: 'proxy', outcome: 'failed', path: '/user' })
    // Newest first, by time and then sequence.
    const order = all.map((r) => `${r.at}#${String(r.seq).padStart(15, '0')}`)
    expect(order).toEqual([...order].sort().reverse())
  })

  it('no query string, body or secret in the store', async () => {
    await h.settle()
    const stored = await h.storeText()
    for (const secret of canaries) expect(stored).not.toContain(secret)
    const records = Object.values(JSON.parse(stored).collections.runs ?? {}) as Array<Record<string, unknown>>
    expect(records.length).toBeGreaterThanOrEqual(7)
    for (const record of records) {
      expect(String(record.path ?? '')).not.toContain('?')
      expect(Object.keys(record).sort()).not.toContain('body')
    }
  })
})

describe('reading it', () => {
  it('by connection, kind and outcome', async () => {
    expect(await allPages(`${runs}?connection=${gone}`)).toHaveLength(1)
    expect(await allPages(`${connections}/${github}/runs`)).toHaveLength(6)
    expect(await allPages(`${runs}?kind=action`)).toHaveLength(2)
    expect((await allPages(`${runs}?kind=proxy&outcome=failed`)).map((r) => r.connectionId)).toEqual([gone])
    expect(await allPages(`${connections}/${github}/runs?outcome=http_error`)).toMatchObject([{ path: '/fail' }])
  })

  it('by time: since is inclusive, until is not', async () => {
    const all = await allPages(runs)
    const middle = all[3]
    const since = await allPages(`${runs}?since=${encodeURIComponent(middle.at)}`)
    const until = await allPages(`${runs}?until=${encodeURIComponent(middle.at)}`)
    expect(since.every((r) => r.at >= middle.at)).toBe(true)
    expect(until.every((r) => r.at < middle.at)).toBe(true)
    expect(since.length + until.length).toBe(all.length)
    expect(await allPages(`${runs}?since=2999-01-01T00:00:00Z`)).toEqual([])
  })

  it('a page at a time: every run once, whatever the page size', async () => {
    const all = await allPages(runs)
    for (const limit of [1, 2, 3, 7]) {
      const paged = await allPages(`${runs}?limit=${limit}`)
      expect(paged.map((r) => r.seq)).toEqual(all.map((r) => r.seq))
    }
    const first = await h.call('GET', `${runs}?limit=2`)
    expect(first.body).toMatchObject({ capacity: 1000, maxAgeDays: 30 })
    expect(first.body.next).toMatch(/^\d{4}-.+Z#\d{15}$/)
    // With a filter too.
    expect((await allPages(`${runs}?kind=proxy&limit=1`)).length).toBe(5)
  })

  it('refuses bad filters with invalid_query, saying what they take', async () => {
    for (const query of [
      'kind=ssh',
      'outcome=bad',
      'since=yesterday',
      'until=2026-13-45T99:00:00Z',
      'before=abc',
      'limit=0',
      'limit=501',
    ]) {
      const res = await h.call('GET', `${runs}?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.error.code).toBe('invalid_query')
      expect(res.body.error.message).toMatch(/^\?\w+ must be/)
    }
  })

  it('across the app is for app admins; a member reads a connection of theirs', async () => {
    const user = await h.call('POST', '/api/users', { body: { name: 'Mia', email: 'mia@example.com' } })
    await h.call('PUT', `/api/apps/default/members/${user.body.id}`, { body: { role: 'member' } })
    const token = (await h.call('POST', `/api/users/${user.body.id}/tokens`, { body: { name: 'mia' } })).body.token
    const refused = await h.call('GET', runs, { token })
    expect(refused.status).toBe(403)
    expect(refused.body.error.details).toMatchObject({ required: 'admin' })
    expect((await h.call('GET', `${connections}/${github}/runs`, { token })).status).toBe(200)
  })
})

describe('a restart', () => {
  it('keeps the history: runs recorded just before stopping are there after starting again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-history-'))
    const env = {
      PORT: '0',
      SWITCHBOARD_DATA_DIR: dir,
      SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1',
      ...(TEST_ENGINE === 'postgres' ? { SWITCHBOARD_DATABASE_URL: await freshDatabase() } : {}),
    }
    const start = () =>
      startServer(readConfig(env, repo), {
        log: () => {},
        logger: createLogger({ level: 'silent' }),
        env: { SWITCHBOARD_MASTER_KEY: MASTER_KEY },
      })
    try {
      const first = await start()
      const token = new URL(first.signInUrl!).searchParams.get('token')!
      const call = async (server: { url: string }, method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
        return { status: res.status, body: (await res.json().catch(() => undefined)) as any }
      }
      const created = await call(first, 'POST', connections, {
        connectorId: 'github',
        name: 'GitHub',
        values: { token: `ghp_${marker()}` },
        baseUrl: upstream.origin,
      })
      expect(created.status).toBe(201)
      for (let i = 0; i < 3; i++) expect((await call(first, 'GET', `${connections}/${created.body.id}/proxy/user?i=${i}`)).status).toBe(200)
      // Stopped at once: the runs may still be buffered, and stopping writes them.
      await first.close()

      const second = await start()
      try {
        const page = await call(second, 'GET', `${runs}?connection=${created.body.id}`)
        expect(page.status).toBe(200)
        expect(page.body.runs).toHaveLength(3)
        expect(page.body.runs.map((r: any) => r.path)).toEqual(['/user', '/user', '/user'])
      } finally {
        await second.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
