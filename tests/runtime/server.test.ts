/**
 * The runtime as people start it: `switchboard serve` in its own process on a temp data directory, the
 * sign-in link it prints, the session cookie, one process per data directory, and `switchboard keys rotate`
 * between two starts.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repo, startUpstream, type Upstream } from './harness.ts'

interface Child {
  process: ChildProcess
  lines: string[]
  stderr: string[]
  exited: Promise<number | null>
  waitFor(test: RegExp): Promise<RegExpExecArray>
}

/** The environment of a child: this one's, without anything that would change how the runtime starts. */
function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('SWITCHBOARD_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'PORT' && key !== 'HOST')
      env[key] = value
  }
  // No SWITCHBOARD_MASTER_KEY: the key file in the data directory is created on first start and rotated.
  return { ...env, PORT: '0', HOST: '127.0.0.1', SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ALLOWED_HOSTS: '127.0.0.1' }
}

const children: Child[] = []

function run(args: string[], dataDir: string): Child {
  const child = spawn(process.execPath, [join(repo, 'bin/switchboard.js'), ...args], {
    cwd: repo,
    env: childEnv(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const waiters: Array<{ test: RegExp; resolve: (m: RegExpExecArray) => void }> = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const waiter of [...waiters]) {
      const match = waiter.test.exec(line)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  })
  createInterface({ input: child.stderr! }).on('line', (line) => void stderr.push(line))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const handle: Child = {
    process: child,
    lines,
    stderr,
    exited,
    waitFor(test) {
      for (const line of lines) {
        const match = test.exec(line)
        if (match) return Promise.resolve(match)
      }
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve })
        void exited.then((code) =>
          reject(new Error(`the process exited (${code}) before printing ${test}:\n${lines.join('\n')}\n${stderr.join('\n')}`)),
        )
      })
    },
  }
  children.push(handle)
  return handle
}

/** Starts `switchboard serve` and waits until it listens; returns its port. */
async function serve(dataDir: string): Promise<{ child: Child; port: number; origin: string }> {
  const child = run(['serve'], dataDir)
  const [, port] = await child.waitFor(/^Switchboard is running on http:\/\/localhost:(\d+) /)
  return { child, port: Number(port), origin: `http://127.0.0.1:${port}` }
}

async function stop(child: Child): Promise<number | null> {
  child.process.kill('SIGTERM')
  return child.exited
}

let dataDir: string
let upstream: Upstream
/** The first process, running until the connection test stops it. */
let running: { child: Child; origin: string }

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-serve-'))
  upstream = await startUpstream((request) =>
    request.headers.authorization === 'Bearer ghp_ServerTest1'
      ? { body: { login: 'server-octocat' } }
      : { status: 401, body: { message: 'Bad credentials' } },
  )
})

afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
  await Promise.all(children.map((c) => c.exited))
  await upstream.close()
  await rm(dataDir, { recursive: true, force: true })
})

// Each test starts runtime processes (TypeScript compiled on start): room for a machine busy with other work.
describe('switchboard serve', { timeout: 120_000 }, () => {
  let ownerToken: string
  let connectionId: string

  it('on first start prints the sign-in link once, with the port it got', async () => {
    const { child, port, origin } = await serve(dataDir)
    running = { child, origin }
    const [line, url, token] = await child.waitFor(/^Sign in: (http:\/\/localhost:(?:\d+)\/signin\?token=(sb_[A-Za-z0-9_-]+))$/)
    expect(url).toBe(`http://localhost:${port}/signin?token=${token}`)
    ownerToken = token!
    expect(child.lines.filter((l) => l.includes('Sign in:'))).toEqual([line])
    expect(child.lines.filter((l) => l.includes(token!))).toHaveLength(1)

    const health = await fetch(`${origin}/api/health`)
    expect(health.status).toBe(200)
    const me = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${ownerToken}` } })
    expect(me.status).toBe(200)
    expect((await me.json()).user).toMatchObject({ id: 'owner', owner: true })

    const keyFile = await stat(join(dataDir, 'master.keys'))
    expect(keyFile.mode & 0o777).toBe(0o600)
  })

  it('a second process on the same data directory exits non-zero at once, saying why', async () => {
    // `--help` loads the same sources; started together, both wait for the same cores.
    const started = performance.now()
    const help = run(['--help'], dataDir)
    const second = run(['serve'], dataDir)
    const helpMs = await help.exited.then(() => performance.now() - started)
    const code = await second.exited
    const elapsed = performance.now() - started
    expect(code).not.toBe(0)
    expect(second.stderr.join('\n')).toMatch(
      /Another Switchboard process \(pid \d+\) is using the data directory .*Stop it or choose another SWITCHBOARD_DATA_DIR/,
    )
    expect(second.lines.join('\n')).not.toContain('Sign in:')
    // Loading the sources is most of a start; reading the built-ins and refusing the directory must add
    // no waiting on top (no retries, no timeout).
    expect(elapsed).toBeLessThan(helpMs + 2000)

    const rotate = run(['keys', 'rotate'], dataDir)
    expect(await rotate.exited).not.toBe(0)
    expect(rotate.stderr.join('\n')).toMatch(/Another Switchboard process/)
  })

  it(
    'the printed link opens the sign-in page with the token out of reach of servers; a confirmed POST from that page sets an HttpOnly ' +
      'session cookie, and sign-out revokes it',
    async () => {
      const { origin } = running
      // The link sets no cookie: it leads to the designer's page, the token in the fragment.
      const link = await fetch(`${origin}/signin?token=${ownerToken}`, { redirect: 'manual' })
      expect(link.status).toBe(303)
      expect(link.headers.get('location')).toBe(`/#/signin?token=${ownerToken}`)
      expect(link.headers.get('referrer-policy')).toBe('no-referrer')
      expect(link.headers.getSetCookie()).toEqual([])

      const signin = await fetch(`${origin}/api/session`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ token: ownerToken }),
      })
      expect(signin.status).toBe(200)
      expect((await signin.json()).user).toMatchObject({ id: 'owner', owner: true })
      const [cookie] = signin.headers.getSetCookie()
      expect(cookie).toMatch(/^sb_session=sb_[A-Za-z0-9_-]+;/)
      expect(cookie).toMatch(/; HttpOnly/i)
      expect(cookie).toMatch(/; SameSite=Lax/i)
      expect(cookie).toMatch(/; Path=\//i)
      const session = cookie!.split(';')[0]!
      expect(session).not.toContain(ownerToken)

      const me = await fetch(`${origin}/api/me`, { headers: { cookie: session } })
      expect(me.status).toBe(200)
      expect((await me.json()).user.id).toBe('owner')

      const bad = await fetch(`${origin}/api/session`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ token: `sb_${'A'.repeat(43)}` }),
      })
      expect(bad.status).toBe(401)
      expect((await bad.json()).error.code).toBe('invalid_token')
      expect(bad.headers.getSetCookie()).toEqual([])

      const signout = await fetch(`${origin}/api/session/signout`, { method: 'POST', headers: { cookie: session } })
      expect(signout.status).toBe(204)
      expect(signout.headers.getSetCookie().join()).toMatch(/sb_session=;.*Max-Age=0/i)
      const after = await fetch(`${origin}/api/me`, { headers: { cookie: session } })
      expect(after.status).toBe(401)
      // Only the browser session ended: the owner's token still works.
      expect((await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${ownerToken}` } })).status).toBe(200)
    },
  )

  it('stores a connection with credentials and tests it OK, then stops cleanly', async () => {
    const { child: first, origin } = running
    const headers = { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' }
    const created = await fetch(`${origin}/api/apps/default/connections`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ connectorId: 'github', name: 'GitHub', values: { token: 'ghp_ServerTest1' }, baseUrl: upstream.origin }),
    })
    expect(created.status).toBe(201)
    connectionId = (await created.json()).id
    const test = await fetch(`${origin}/api/apps/default/connections/${connectionId}/test`, { method: 'POST', headers })
    expect(await test.json()).toMatchObject({ ok: true, label: 'server-octocat' })

    expect(await stop(first)).toBe(0)
    expect(first.lines.join('\n')).not.toContain('ghp_ServerTest1')
  })

  it("a second start on the same directory prints no sign-in link, and the owner's token still works", async () => {
    const { child, origin } = await serve(dataDir)
    const me = await fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${ownerToken}` } })
    expect(me.status).toBe(200)
    expect(child.lines.join('\n')).not.toMatch(/Sign in|token=/)
    expect(await stop(child)).toBe(0)
    expect(child.lines.join('\n')).not.toMatch(/Sign in|token=/)
  })

  it('switchboard keys rotate re-encrypts the credentials, and the connection still tests OK', async () => {
    const before = JSON.parse(await readFile(join(dataDir, 'store.json'), 'utf8'))
    const oldKid = before.collections.credentials[connectionId].sealed.kid as string

    const rotate = run(['keys', 'rotate'], dataDir)
    expect(await rotate.exited, rotate.stderr.join('\n')).toBe(0)
    const [, newKid] =
      /^Re-encrypted 1 credential under key (k_[0-9a-f]{12}); retired (k_[0-9a-f]{12})\.$/.exec(rotate.lines.join('\n')) ?? []
    expect(newKid, rotate.lines.join('\n')).toBeDefined()
    expect(newKid).not.toBe(oldKid)
    expect(rotate.lines.join('\n')).toContain(`retired ${oldKid}`)

    const after = JSON.parse(await readFile(join(dataDir, 'store.json'), 'utf8'))
    expect(after.collections.credentials[connectionId].sealed.kid).toBe(newKid)
    expect(after.collections.credentials[connectionId].sealed.ct).not.toBe(before.collections.credentials[connectionId].sealed.ct)
    expect((await stat(join(dataDir, 'master.keys'))).mode & 0o777).toBe(0o600)

    const { child, origin } = await serve(dataDir)
    const test = await fetch(`${origin}/api/apps/default/connections/${connectionId}/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}` },
    })
    expect(test.status).toBe(200)
    expect(await test.json()).toMatchObject({ ok: true, label: 'server-octocat' })
    expect(upstream.last().headers.authorization).toBe('Bearer ghp_ServerTest1')
    expect(await stop(child)).toBe(0)
  })
})
