/** `switchboard users` and `switchboard tokens` on a real data directory, and their refusal while it is in use. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { findToken } from '../../runtime/inbound/callers/index.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { main } from '../../runtime/tooling/cli/main.ts'

let dir = ''
const previous = process.env.SWITCHBOARD_DATA_DIR
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-cli-access-'))
  process.env.SWITCHBOARD_DATA_DIR = dir
})
afterAll(async () => {
  if (previous === undefined) delete process.env.SWITCHBOARD_DATA_DIR
  else process.env.SWITCHBOARD_DATA_DIR = previous
  await rm(dir, { recursive: true, force: true })
})

async function run(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => void out.push(l), err: (l) => void err.push(l), fail: (m, c = 1) => (err.push(m), c) })
  return { code, out, err }
}

test('add and list users, issue, list and revoke tokens; refuse while the data directory is in use', async () => {
  const added = await run('users', 'add', 'Ada', '--email', 'ada@example.com')
  expect(added.code).toBe(0)
  const userId = /as (u_\w+)/.exec(added.out[0]!)![1]!
  expect((await run('users', 'list')).out.join('\n')).toContain(`${userId}  Ada <ada@example.com>`)
  const issued = await run('tokens', 'issue', userId, '--name', 'CI')
  expect(issued.code).toBe(0)
  const token = issued.out[0]!
  const listed = await run('tokens', 'list', userId)
  expect(listed.out).toHaveLength(1)
  expect(listed.out[0]).toContain('"CI"')
  expect(listed.out.join('\n')).not.toContain(token)
  const tokenId = listed.out[0]!.split(' ')[0]!
  expect((await run('tokens', 'revoke', tokenId)).code).toBe(0)
  expect((await run('tokens', 'list', userId)).out[0]).toContain('revoked')
  expect((await run('tokens', 'issue', 'u_nobody')).code).toBe(1)
  expect((await run('tokens')).code).toBe(2)

  const store = await createEmbeddedStore({ dir, log: () => {} })
  try {
    expect(await findToken(store, token)).toBeUndefined()
    const busy = await run('users', 'list')
    expect(busy.code).toBe(1)
    expect(busy.err.join('\n')).toMatch(/already has|in use|lock|running/i)
  } finally {
    await store.close()
  }
})
