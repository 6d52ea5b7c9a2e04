/**
 * `switchboard serve` on PostgreSQL in bad conditions, as an operator meets them: a database that cannot be
 * reached at start, one a newer version migrated, and one lost while the runtime runs (503 `store_unavailable`,
 * nothing half written, back by itself once the database is). Real processes, a cluster of this file's own
 * for the outage.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPostgresStore } from '../../runtime/platform/store/index.ts'
import { MIGRATIONS } from '../../runtime/platform/store/postgres/migrations/list.ts'
import { type Served, serve, switchboard } from '../cli/switchboard-process.ts'
import { closedPort, MASTER_KEY } from '../runtime/harness.ts'
import { freshDatabase } from '../support/postgres.ts'
import { type Cluster, startCluster } from '../support/postgres-cluster.ts'

const env = (url: string, extra: Record<string, string> = {}) => ({
  SWITCHBOARD_DATABASE_URL: url,
  SWITCHBOARD_MASTER_KEY: MASTER_KEY,
  SWITCHBOARD_DATA_DIR: '/nonexistent/switchboard-unused',
  ...extra,
})
const STACK = /^\s+at /m

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

describe('switchboard serve on a database in bad conditions', () => {
  test('a database nobody listens for: exits non-zero at once, naming host and port and what to check, no stack', async () => {
    const port = await closedPort()
    // A connect timeout far beyond the test's: refusing must not wait for it.
    const run = await switchboard(
      ['serve'],
      env(`postgres://sb:secret@127.0.0.1:${port}/switchboard`, { PORT: '0', SWITCHBOARD_DATABASE_CONNECT_TIMEOUT_MS: '3600000' }),
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`^switchboard: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} `, 'm'))
    expect(run.stderr).toMatch(/Check that the server is running and accepts connections on that host and port/)
    expect(run.stderr).not.toMatch(STACK)
    expect(run.stderr).not.toContain('secret')
    expect(run.stdout).not.toContain('Switchboard is running')
  })

  test('a database a newer version migrated: refused with both schema versions named', async () => {
    const url = await freshDatabase()
    await (await createPostgresStore({ url, log: () => {} })).close()
    const future = MIGRATIONS.length + 5
    await sql(url, `INSERT INTO switchboard.schema_migrations (version, name) VALUES (${future}, 'from the future')`)
    const run = await switchboard(['serve'], env(url, { PORT: '0' }))
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`schema version ${future}, written by a newer Switchboard`)
    expect(run.stderr).toContain(`schema versions up to ${MIGRATIONS.at(-1)!.version}`)
    expect(run.stderr).not.toMatch(STACK)
    expect(run.stdout).not.toContain('Switchboard is running')
  })

  test('a write refused while starting (no INSERT right): exits 1 with the reason, not left running', async () => {
    const { host, username } = new URL(await freshDatabase())
    const role = `limited_${process.pid}`
    await sql(`postgres://${username}@${host}/postgres`, `CREATE ROLE ${role} LOGIN`)
    await sql(`postgres://${username}@${host}/postgres`, `CREATE DATABASE ${role} OWNER ${role}`)
    const url = `postgres://${role}@${host}/${role}`
    await (await createPostgresStore({ url, log: () => {} })).close()
    // The server is listening by the time the owner is created: a failure then must close it, or the process stays.
    await sql(`postgres://${username}@${host}/${role}`, `REVOKE INSERT ON switchboard.users FROM ${role}`)
    const run = await switchboard(['serve'], env(url, { PORT: '0' }))
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^switchboard: permission denied for table users$/m)
    expect(run.stdout).not.toContain('Switchboard is running')
  }, 120_000)
})

describe('the database lost while the runtime runs', () => {
  let cluster: Cluster
  let served: Served
  let token: string

  beforeAll(async () => {
    cluster = await startCluster()
    await sql(cluster.url('postgres'), 'CREATE DATABASE outage')
    served = await serve(env(cluster.url('outage'), { SWITCHBOARD_DATABASE_CONNECT_TIMEOUT_MS: '5000' }))
    token = (await served.waitFor(/^Sign in: .*token=(sb_[\w-]+)$/))[1]!
  }, 300_000)

  afterAll(async () => {
    await served?.stop()
    await cluster?.destroy()
  })

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${served.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any }
  }
  const connection = (name: string) => ({ connectorId: 'github', name, values: { token: `ghp_${name}` } })
  const names = async () => ((await call('GET', '/api/apps/default/connections')).body.connections as { name: string }[]).map((c) => c.name)

  test('503 store_unavailable as JSON while it is gone, nothing half written, and served again once it is back', async () => {
    expect((await call('POST', '/api/apps/default/connections', connection('Before'))).status).toBe(201)

    await cluster.stop()
    for (const answer of [
      await call('GET', '/api/apps/default/connections'),
      await call('POST', '/api/apps/default/connections', connection('During')),
      await call('GET', '/api/me'),
    ]) {
      expect(answer.status).toBe(503)
      expect(answer.type).toContain('application/json')
      expect(answer.body.error).toMatchObject({ code: 'store_unavailable', message: expect.stringMatching(/database at 127\.0\.0\.1:\d+/) })
    }
    expect(served.child.exitCode).toBeNull()

    await cluster.start()
    // The runtime reconnects on its own; the first calls may still meet connections that died with the server.
    let back = await call('GET', '/api/apps/default/connections')
    for (let i = 0; back.status !== 200 && i < 50; i++) {
      await new Promise((done) => setTimeout(done, 200))
      back = await call('GET', '/api/apps/default/connections')
    }
    expect(back.status).toBe(200)
    expect(await names()).toEqual(['Before'])
    const audit = await call('GET', '/api/apps/default/audit')
    expect(audit.body.entries.filter((entry: { event: string }) => entry.event === 'connection.created')).toHaveLength(1)
    expect((await call('POST', '/api/apps/default/connections', connection('After'))).status).toBe(201)
    expect(await names()).toEqual(['Before', 'After'])
    expect(served.child.exitCode).toBeNull()
    expect(served.stderr.join('\n')).not.toMatch(STACK)
  })
})
