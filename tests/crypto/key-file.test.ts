import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeyRing, deriveKeyId } from '../../runtime/platform/crypto/index.ts'
import { writeKeyFile } from '../../runtime/platform/crypto/internal/key-file.ts'
import { newKeyFile } from '../../runtime/platform/crypto/internal/ring-state.ts'
import { catchError, useTempDir } from './helpers.ts'

/** Compiles the TypeScript sources as the child processes load them. */
const TS_LOADER = new URL('../../bin/register-ts.js', import.meta.url).href
const mode = (path: string) => statSync(path).mode & 0o777

describe.skipIf(process.platform === 'win32')('key file', () => {
  const dir = useTempDir()

  it('is created on first use with mode 0600 (whatever the umask) in a 0700 directory', () => {
    const previous = process.umask(0)
    try {
      const dataDir = join(dir(), 'data')
      const keyRing = createKeyRing({ dataDir, env: {} })
      const path = join(dataDir, 'master.keys')
      expect(keyRing.keyFile).toBe(path)
      expect(keyRing.currentSource).toBe('file')
      expect(mode(path)).toBe(0o600)
      expect(mode(dataDir)).toBe(0o700)
      const file = JSON.parse(readFileSync(path, 'utf8'))
      expect(file).toMatchObject({ format: 1, current: keyRing.currentKid })
      expect(file.keys).toHaveLength(1)
      expect(file.keys[0]).toMatchObject({ kid: keyRing.currentKid, createdAt: expect.any(String) })
      expect(deriveKeyId(Buffer.from(file.keys[0].key, 'base64'))).toBe(keyRing.currentKid)
      expect(readdirSync(dataDir)).toEqual(['master.keys']) // no temp file left behind
    } finally {
      process.umask(previous)
    }
  })

  it('is reused on the second start, unchanged, and opens what the first start sealed', () => {
    const first = createKeyRing({ dataDir: dir(), env: {} })
    const path = first.keyFile
    const before = readFileSync(path, 'utf8')
    const sealed = first.seal({ token: 't' }, { connectionId: 'c' })
    const second = createKeyRing({ dataDir: dir(), env: {} })
    expect(second.currentKid).toBe(first.currentKid)
    expect(second.open(sealed, { connectionId: 'c' })).toEqual({ token: 't' })
    expect(readFileSync(path, 'utf8')).toBe(before)
  })

  it('takes its path from keyFile, or from SWITCHBOARD_DATA_DIR', () => {
    const keyFile = join(dir(), 'elsewhere', 'keys.json')
    expect(createKeyRing({ keyFile, env: {} }).keyFile).toBe(keyFile)
    expect(existsSync(keyFile)).toBe(true)
    const dataDir = join(dir(), 'from-env')
    expect(createKeyRing({ env: { SWITCHBOARD_DATA_DIR: dataDir } }).keyFile).toBe(join(dataDir, 'master.keys'))
  })

  it.each([0o640, 0o604, 0o644, 0o620])('is refused when other users can access it (mode %o)', (bad) => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const before = readFileSync(keyRing.keyFile, 'utf8')
    chmodSync(keyRing.keyFile, bad)
    const error = catchError(() => createKeyRing({ dataDir: dir(), env: {} }))
    expect(error.code).toBe('insecure_key_file')
    expect(error.message).toContain(`chmod 600 ${keyRing.keyFile}`)
    expect(error.message).toContain(`mode 0${bad.toString(8)}`)
    expect(readFileSync(keyRing.keyFile, 'utf8')).toBe(before)
    expect(mode(keyRing.keyFile)).toBe(bad) // left for the person to look at and fix
    chmodSync(keyRing.keyFile, 0o600)
    expect(createKeyRing({ dataDir: dir(), env: {} }).currentKid).toBe(keyRing.currentKid)
  })

  it('is refused, and never replaced, when damaged', () => {
    const keyRing = createKeyRing({ dataDir: dir(), env: {} })
    const path = keyRing.keyFile
    const valid = JSON.parse(readFileSync(path, 'utf8'))
    const damaged = [
      readFileSync(path, 'utf8').slice(0, 60),
      '',
      JSON.stringify({ ...valid, format: 2 }),
      JSON.stringify({ ...valid, keys: [] }),
      JSON.stringify({ ...valid, current: 'k_000000000000' }),
      JSON.stringify({ ...valid, keys: [{ ...valid.keys[0], kid: 'k_000000000000' }], current: 'k_000000000000' }),
      JSON.stringify({ ...valid, keys: [{ ...valid.keys[0], key: Buffer.alloc(16).toString('base64') }] }),
    ]
    for (const text of damaged) {
      writeFileSync(path, text, { mode: 0o600 })
      const error = catchError(() => createKeyRing({ dataDir: dir(), env: {} }))
      expect(error.code).toBe('invalid_key_file')
      expect(error.message).toContain('restore it from a backup')
      expect(readFileSync(path, 'utf8')).toBe(text)
    }
  })

  it('is never overwritten by a second creator', () => {
    const path = join(dir(), 'master.keys')
    const first = newKeyFile()
    expect(writeKeyFile(path, first, { exclusive: true })).toBe(true)
    expect(writeKeyFile(path, newKeyFile(), { exclusive: true })).toBe(false)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(first)
    expect(readdirSync(dir())).toEqual(['master.keys'])
  })

  it('gets one key when several processes start at once', async () => {
    const dataDir = join(dir(), 'race')
    const startAt = Date.now() + 2_000 // every child has loaded by then, so they create at the same instant
    const script = [
      `const { createKeyRing } = await import(${JSON.stringify(new URL('../../runtime/platform/crypto/index.ts', import.meta.url).href)})`,
      `while (Date.now() < ${startAt});`,
      `console.log(createKeyRing({ dataDir: ${JSON.stringify(dataDir)}, env: {} }).currentKid)`,
    ].join('\n')
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', TS_LOADER, '--input-type=module', '-e', script], {
          cwd: process.cwd(),
        })
        let out = ''
        let err = ''
        child.stdout.on('data', (chunk) => (out += chunk))
        child.stderr.on('data', (chunk) => (err += chunk))
        child.on('error', reject)
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))))
      })
    const kids = await Promise.all([run(), run(), run(), run()])
    const file = JSON.parse(readFileSync(join(dataDir, 'master.keys'), 'utf8'))
    expect(new Set(kids)).toEqual(new Set([file.current]))
    expect(file.keys).toHaveLength(1)
    expect(readdirSync(dataDir)).toEqual(['master.keys'])
  })
})
