import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The `switchboard` command as people run it: a real child process on real files in a temp directory.

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'bin/switchboard.js')
const fixture = async (kind: 'valid' | 'invalid', name: string) =>
  (JSON.parse(await readFile(join(root, 'tests/schemas/fixtures', kind, `${name}.json`), 'utf8')) as { connector: unknown }).connector

interface Run {
  code: number
  stdout: string
  stderr: string
}

function switchboard(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 25_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

let dir: string
const run = (...args: string[]) => switchboard(args, dir)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-cli-'))
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`
  await writeFile(join(dir, 'ok.json'), json(await fixture('valid', 'notion-bearer-version-header')))
  await writeFile(join(dir, 'warned.json'), json(await fixture('valid', 'warnings-but-valid')))
  await writeFile(join(dir, 'bad.json'), json(await fixture('invalid', 'auth-unknown-type')))
  await writeFile(join(dir, 'broken.json'), '{\n  "id": "acme",\n  "name": ,\n  "baseUrl": "https://api.acme.example"\n}\n')
  await mkdir(join(dir, 'connectors'))
  await writeFile(join(dir, 'connectors', 'a.json'), json(await fixture('valid', 'trello-two-query-params')))
  await writeFile(join(dir, 'connectors', 'b.json'), json(await fixture('invalid', 'oauth2-unknown-default-scope')))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('switchboard validate', () => {
  it('accepts a valid file with exit 0 and a summary, warnings shown but not failing', async () => {
    const { code, stdout } = await run('validate', 'ok.json', 'warned.json')
    expect(code).toBe(0)
    expect(stdout).not.toMatch(/^ok\.json/m)
    expect(stdout).toMatch(/^warned\.json {2}\/baseUrl {2}warning: baseUrl uses http/m)
    expect(stdout.trim().split('\n').at(-1)).toBe('2 files valid (5 warnings)')
  })

  it('reports each problem as "file  /pointer  message" and exits 1', async () => {
    const { code, stdout } = await run('validate', 'bad.json', 'ok.json')
    expect(code).toBe(1)
    expect(stdout).toMatch(/^bad\.json {2}\/auth\/0\/type {2}auth\[0\]\.type must be 'basic', 'apiKey', 'bearer' or 'oauth2'$/m)
    expect(stdout.trim().split('\n').at(-1)).toBe('2 files: 1 with errors (1 error, 0 warnings)')
  })

  it('--quiet prints errors only: no warnings, no summary', async () => {
    const { code, stdout } = await run('validate', '--quiet', 'bad.json', 'warned.json')
    expect(code).toBe(1)
    expect(stdout.trim().split('\n')).toEqual([expect.stringMatching(/^bad\.json {2}\/auth\/0\/type {2}/)])
  })

  it('--json prints [{ file, valid, errors, warnings }] for every file, unreadable ones included', async () => {
    const { code, stdout } = await run('validate', '--json', 'ok.json', 'bad.json', 'broken.json', 'warned.json')
    expect(code).toBe(1)
    const results = JSON.parse(stdout) as Array<Record<string, unknown>>
    expect(results.map((r) => [r.file, r.valid])).toEqual([
      ['ok.json', true],
      ['bad.json', false],
      ['broken.json', false],
      ['warned.json', true],
    ])
    for (const result of results) {
      expect(Object.keys(result).sort()).toEqual(['errors', 'file', 'valid', 'warnings'])
      for (const problem of [...(result.errors as object[]), ...(result.warnings as object[])]) {
        expect(Object.keys(problem).sort()).toEqual(['keyword', 'message', 'path'])
      }
    }
    expect(results[1]!.errors).toEqual([
      { path: '/auth/0/type', keyword: 'discriminator', message: expect.stringContaining('auth[0].type') },
    ])
    expect((results[3]!.warnings as unknown[]).length).toBe(5)
  })

  it('names the line and column of malformed JSON', async () => {
    const { code, stdout } = await run('validate', 'broken.json')
    expect(code).toBe(1)
    expect(stdout).toMatch(/^broken\.json {2}\/ {2}malformed JSON at line 3, column 11: unexpected ","$/m)
  })

  it('says clearly that a file does not exist', async () => {
    const { code, stdout } = await run('validate', 'missing.json')
    expect(code).toBe(1)
    expect(stdout).toMatch(/^missing\.json {2}\/ {2}cannot read the file: no such file$/m)
  })

  it('expands a quoted glob itself', async () => {
    const { code, stdout } = await run('validate', 'connectors/*.json')
    expect(code).toBe(1)
    expect(stdout).toMatch(/^connectors\/b\.json {2}\/auth\/0\/defaultScopes\/1 {2}/m)
    expect(stdout.trim().split('\n').at(-1)).toBe('2 files: 1 with errors (1 error, 0 warnings)')
  })

  it('says so when a glob matches nothing', async () => {
    const { code, stderr } = await run('validate', 'nowhere/*.json')
    expect(code).toBe(1)
    expect(stderr).toContain('no files match nowhere/*.json')
  })

  describe('an unknown option', () => {
    let result: Run
    beforeAll(async () => {
      result = await run('validate', '--strict', 'ok.json')
    })

    it('fails with the usage on stderr', () => {
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain('unknown option --strict')
      expect(result.stderr).toContain('switchboard validate <files or globs…>')
      expect(result.stdout).toBe('')
    })

    // Exit 2 for usage errors, so a CI script can tell a typo in its command line from a broken connector (1).
    it('exits 2, apart from invalid files (1)', () => {
      expect(result.code).toBe(2)
    })
  })
})

describe('switchboard', () => {
  it('--help lists the commands', async () => {
    const { code, stdout } = await run('--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^usage: switchboard <command>/)
    expect(stdout).toMatch(/^ {2}switchboard validate /m)
    expect(stdout).toMatch(/^ {2}switchboard types /m)
  })

  it('types --check exits 0 on the committed types', async () => {
    const { code, stdout, stderr } = await switchboard(['types', '--check'], root)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('up to date')
  })
})
