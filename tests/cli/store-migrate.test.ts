/**
 * `switchboard store migrate` in its own process on real stores: a workspace with every collection filled,
 * moved from a data directory to a throwaway PostgreSQL database and back; counts and checksums equal; a
 * runtime started on each copy serves the same connections and opens their credentials with the same master
 * key; a target that is not empty refused unless `--force`; bad arguments and stores that cannot be opened.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { COLLECTIONS, type CollectionName, createEmbeddedStore, createPostgresStore } from '../../runtime/platform/store/index.ts'
import { main } from '../../runtime/tooling/cli/main.ts'
import { digestStore } from '../../runtime/tooling/store-migration/index.ts'
import { canary } from '../access/fixture.ts'
import { closedPort, MASTER_KEY, PUBLIC_URL } from '../runtime/harness.ts'
import { freshDatabase } from '../support/postgres.ts'
import { createStoreWorld, type StoreWorld } from './store-world.ts'
import { type Finished, serve, switchboard } from './switchboard-process.ts'

const NAMES = Object.keys(COLLECTIONS) as CollectionName[]
const quiet = () => {}
const dirs: string[] = []
let world: StoreWorld
let source: string
let database: string
let back: string
/** The source's checksum, as the first migration printed it. */
let sourceSha: string

const tempDir = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), `switchboard-${prefix}-`))
  dirs.push(dir)
  return dir
}

beforeAll(async () => {
  world = await createStoreWorld()
  source = world.w.h.dir
  database = await freshDatabase()
  back = join(await tempDir('migrated'), 'data')
}, 300_000)

afterAll(async () => {
  await world?.close()
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** The counts table and both checksums the command printed. */
function verified(run: Finished): { counts: Map<string, [number, number]>; from: string; to: string } {
  expect(run.code, run.stderr).toBe(0)
  const counts = new Map<string, [number, number]>()
  for (const [, name, from, to] of run.stdout.matchAll(/^ {2}(\w+) +(\d+) +(\d+)$/gm)) counts.set(name!, [Number(from), Number(to)])
  const from = /^ {2}SHA-256 from {2}([0-9a-f]{64})$/m.exec(run.stdout)?.[1]
  const to = /^ {2}SHA-256 to {4}([0-9a-f]{64})$/m.exec(run.stdout)?.[1]
  expect(from, run.stdout).toBeDefined()
  return { counts, from: from!, to: to! }
}

/** `main` in this process, with what it wrote. */
async function inProcess(argv: string[]) {
  const err: string[] = []
  const code = await main(argv, {
    out: () => {},
    err: (line) => void err.push(line),
    fail: (message, code = 1) => (err.push(message), code),
  })
  return { code, err: err.join('\n') }
}

async function api(origin: string, method: string, path: string, token = world.w.h.token) {
  const res = await fetch(`${origin}${path}`, { method, headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: (await res.json()) as any }
}

describe('switchboard store migrate', () => {
  test('embedded → PostgreSQL → embedded: every collection copied, counts and checksums equal on both sides', async () => {
    const there = await switchboard(['store', 'migrate', '--from', source, '--to', database])
    const first = verified(there)
    for (const name of NAMES) {
      const [from, to] = first.counts.get(name) ?? [0, -1]
      expect(from, `${name} was filled`).toBeGreaterThan(0)
      expect(to, name).toBe(from)
    }
    expect(first.to).toBe(first.from)
    sourceSha = first.from
    // Not a terminal: one summary line per collection, no line rewritten in place.
    for (const name of NAMES) expect(there.stderr).toMatch(new RegExp(`^ {2}${name}: ${first.counts.get(name)![0]} records? copied$`, 'm'))
    expect(there.stderr).not.toContain('\r')
    expect(there.stdout).toMatch(
      /^Migrated \d+ records from data directory .* to PostgreSQL at 127\.0\.0\.1:\d+\/\w+: counts and checksums match\.$/m,
    )
    expect(there.stdout).toContain('same master key')

    const again = verified(await switchboard(['store', 'migrate', '--from', database, '--to', back]))
    expect(again.from).toBe(sourceSha)
    expect(again.to).toBe(sourceSha)
    expect(again.counts).toEqual(first.counts)
  })

  test.each([
    ['PostgreSQL', () => ({ SWITCHBOARD_DATABASE_URL: database })],
    ['the embedded store migrated back', () => ({ SWITCHBOARD_DATA_DIR: back })],
  ])('a runtime on %s serves the same connections and opens their credentials with the same master key', async (_, where) => {
    // The public URL the world was made with: views carry links built from it.
    const env = { SWITCHBOARD_DATA_DIR: await tempDir('keys'), SWITCHBOARD_MASTER_KEY: MASTER_KEY, SWITCHBOARD_PUBLIC_URL: PUBLIC_URL }
    const served = await serve({ ...env, ...where() })
    try {
      expect(served.lines.join('\n')).not.toContain('Sign in:')
      const listed = await api(served.origin, 'GET', '/api/apps/default/connections')
      expect(listed.status).toBe(200)
      expect(listed.body).toEqual(world.listed)

      const shared = await api(served.origin, 'POST', `/api/apps/default/connections/${world.shared}/test`)
      expect(shared.body).toMatchObject({ ok: true })
      expect(world.w.upstream.last().headers.authorization).toBe(`Bearer ${canary('admin')}`)
      const personal = await api(served.origin, 'POST', `/api/apps/default/connections/${world.personal}/test`, world.w.tokens.member!)
      expect(personal.body).toMatchObject({ ok: true })
      expect(world.w.upstream.last().headers.authorization).toBe(`Bearer ${canary('member')}`)
    } finally {
      expect(await served.stop()).toBe(0)
    }
  })

  test('a target that is not empty is refused, naming what it holds, and left as it was', async () => {
    const store = await createPostgresStore({ url: database, log: quiet })
    const before = await digestStore(store).finally(() => store.close())
    const refused = await switchboard(['store', 'migrate', '--from', source, '--to', database])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /^switchboard: PostgreSQL at 127\.0\.0\.1:\d+\/\w+ is not empty \(connectors \d+, connections \d+, .*users \d+/m,
    )
    expect(refused.stderr).toContain('add --force')
    expect(refused.stdout).toBe('')
    const reopened = await createPostgresStore({ url: database, log: quiet })
    expect(await digestStore(reopened).finally(() => reopened.close())).toEqual(before)
  })

  test('--force deletes what the target holds first: the target ends holding exactly what the source holds', async () => {
    const target = await tempDir('force')
    const store = await createEmbeddedStore({ dir: target, log: quiet })
    await store.insert('meta', { id: 'stray', note: 'not in the source' })
    await store.insert('users', { id: 'owner', name: 'Someone else', owner: true, createdAt: '2020-01-01T00:00:00.000Z' })
    await store.close()
    const forced = await switchboard(['store', 'migrate', '--from', source, '--to', target, '--force'])
    const { from, to, counts } = verified(forced)
    expect(forced.stderr).toMatch(/Deleting what data directory .* holds \(users 1, meta 1\), as --force asks/)
    expect([from, to]).toEqual([sourceSha, sourceSha])
    expect(counts.get('meta')![1]).toBe(counts.get('meta')![0])
  })

  test.each([
    [[], /name a subcommand/],
    [['copy'], /name a subcommand/],
    [['migrate', '--from', 'a'], /name both stores/],
    [['migrate', '--to', 'b'], /name both stores/],
    [['migrate', '--from', '--to', 'b'], /--from needs a data directory or a postgres:\/\/ URL/],
    [['migrate', '--from', 'a', '--to', 'b', '--to', 'c'], /--to is given twice/],
    [['migrate', '--from', 'a', '--to', 'b', '--fast'], /unknown argument "--fast"/],
    [['migrate', '--from', 'a', '--to', 'b', 'extra'], /unknown argument "extra"/],
    [['migrate', '--from', 'mysql://db/x', '--to', 'b'], /--from must be a data directory or a postgres:\/\/ URL, not "mysql:\/\/…"/],
    [['migrate', '--from', 'postgres://[::1', '--to', 'b'], /--from is not a valid URL/],
    [['migrate', '--from', 'data', '--to', './data/'], /--from and --to name the same store \(data directory .*\/data\)/],
    [
      ['migrate', '--from', 'postgres://a@db/x', '--to=postgresql://b:secret@db:5432/x'],
      /--from and --to name the same store \(PostgreSQL at db:5432\/x\)/,
    ],
  ])('bad arguments %j exit 2, saying what is wrong', async (args, message) => {
    // In-process: the same code as the command (the symbolic link case below runs it as a process).
    const { code, err } = await inProcess(['store', ...args])
    expect(code).toBe(2)
    expect(err).toMatch(message)
    expect(err).not.toContain('secret')
  })

  test('the same directory through a symbolic link is the same store', async () => {
    const link = join(await tempDir('link'), 'to-source')
    await symlink(source, link)
    const run = await switchboard(['store', 'migrate', '--from', source, '--to', link])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/name the same store/)
  })

  test('a store that cannot be opened exits 1 and says why: unreachable, missing, in use', async () => {
    const port = await closedPort()
    const unreachable = await switchboard(['store', 'migrate', '--from', source, '--to', `postgres://sb@127.0.0.1:${port}/switchboard`])
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(
      new RegExp(`^switchboard: --to: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} .*Check that the server`, 'm'),
    )
    expect(unreachable.stderr).not.toMatch(/^\s+at /m)

    const nowhere = join(await tempDir('empty'), 'nothing-here')
    const missing = await switchboard(['store', 'migrate', '--from', nowhere, '--to', await tempDir('unused')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`--from: There is no store in ${nowhere}`)

    const inUse = await createEmbeddedStore({ dir: back, log: quiet })
    try {
      const busy = await switchboard(['store', 'migrate', '--from', back, '--to', await tempDir('unused')])
      expect(busy.code).toBe(1)
      expect(busy.stderr).toMatch(new RegExp(`--from: Another Switchboard process \\(pid ${process.pid}\\) is using the data directory`))
    } finally {
      await inUse.close()
    }
  })

  test('on a terminal, progress is one line rewritten in place, ending in a summary per collection', async () => {
    const from = await tempDir('many')
    const store = await createEmbeddedStore({ dir: from, log: quiet })
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1_200; i++) await tx.insert('meta', { id: `m${String(i).padStart(4, '0')}`, i })
    })
    await store.close()
    const progress: [string, boolean][] = []
    const out: string[] = []
    const err: string[] = []
    const io = {
      out: (line: string) => void out.push(line),
      err: (line: string) => void err.push(line),
      fail: (message: string, code = 1) => (err.push(message), code),
      progress: (line: string, final = false) => void progress.push([line, final]),
    }
    const code = await main(['store', 'migrate', '--from', from, '--to', join(await tempDir('many-to'), 'data')], io)
    expect(code, err.join('\n')).toBe(0)
    const meta = progress.filter(([line]) => line.includes('meta'))
    expect(meta.filter(([, final]) => !final).map(([line]) => line)).toContain('  meta: 500 of 1200 (41%)')
    expect(meta.at(-1)).toEqual(['  meta: 1200 records copied', true])
    expect(progress.filter(([, final]) => final)).toHaveLength(NAMES.length)
    // The summary lines went to the progress line, not a second time to stderr.
    expect(err.join('\n')).not.toMatch(/records? copied/)
  })
})
