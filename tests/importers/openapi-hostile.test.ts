/**
 * Specs built to hurt: recursive schemas, 100,000 operations, missing references, references outside the
 * spec's folder or to the network, huge strings, oversized files, alias bombs, deep nesting, prototype
 * names. Each ends in a clear error with a stable code or in a bounded, valid connector — never a hang.
 */
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importOpenApi, MAX_FILE_BYTES, OpenApiProblem } from '../../runtime/tooling/importers/openapi.ts'
import { tooDeep } from '../../schemas/validate/depth.ts'
import { inputValidator } from '../../schemas/validate/index.ts'
import { useTempDir } from './helpers.ts'

const dir = useTempDir()
let n = 0
/** Writes a spec (an object as JSON, a string as it is) into its own folder and returns its path. */
function spec(doc: unknown, name = 'openapi.json'): string {
  const folder = join(dir, `spec${n++}`)
  mkdirSync(folder, { recursive: true })
  const file = join(folder, name)
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc))
  return file
}

const base = (paths: unknown, components: unknown = {}) => ({
  openapi: '3.0.3',
  info: { title: 'Hostile', version: '1' },
  paths,
  components,
})

async function problem(file: string): Promise<OpenApiProblem> {
  const error = await importOpenApi(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(OpenApiProblem)
  return error as OpenApiProblem
}

describe('hostile specs', () => {
  it('recursive schemas (self, mutual, through allOf, a $ref loop) are cut, and the inputs stay small and compile', async () => {
    const schemas = {
      Node: {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
      },
      A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
      B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
      Self: { allOf: [{ $ref: '#/components/schemas/Self' }, { type: 'object', properties: { x: { type: 'string' } } }] },
      Loop1: { $ref: '#/components/schemas/Loop2' },
      Loop2: { $ref: '#/components/schemas/Loop1' },
    }
    const body = (ref: string) => ({
      requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } },
      responses: {},
    })
    const paths = {
      '/node': { post: body('Node') },
      '/a': { post: body('A') },
      '/self': { post: body('Self') },
      '/loop': { post: body('Loop1') },
    }
    const { connector, report, validation } = await importOpenApi(spec(base(paths, { schemas })))
    expect(validation.errors).toEqual([])
    expect(connector.actions).toHaveLength(4)
    for (const action of connector.actions!) {
      expect(tooDeep(action.input, 30)).toBeUndefined()
      expect(() => inputValidator(action.input!)).not.toThrow()
    }
    expect(report.partial.flatMap((p) => p.notes).join('\n')).toContain('contains itself')
  })

  it('100,000 operations: 200 actions, the rest counted and listed up to 1,000, in bounded time', async () => {
    const paths: Record<string, unknown> = {}
    for (let i = 0; i < 100_000; i++) paths[`/r${i}`] = { get: { operationId: `op${i}`, responses: { '200': { description: 'ok' } } } }
    const started = performance.now()
    const { connector, report, validation } = await importOpenApi(spec(base(paths)))
    expect(validation.valid).toBe(true)
    expect(report).toMatchObject({ operations: 100_000, selected: 100_000, actions: 200, notMappedCount: 99_800 })
    expect(report.notMapped).toHaveLength(1000)
    expect(report.notMapped[0]!.reason).toContain('at most 200 actions')
    expect(connector.actions).toHaveLength(200)
    // Not a timing assertion: a record of how long it took, for a person reading the output.
    console.log(`100,000 operations imported in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }, 120_000)

  it('a missing $ref, in the spec or to a file that is not there, is an error that names it', async () => {
    const local = await problem(spec(base({ '/a': { get: { parameters: [{ $ref: '#/components/parameters/Nope' }], responses: {} } } })))
    expect(local.code).toBe('ref_not_found')
    expect(local.message).toContain('#/components/parameters/Nope')
    const file = await problem(spec(base({ '/a': { get: { parameters: [{ $ref: 'params.json#/Nope' }], responses: {} } } })))
    expect(file.code).toBe('ref_not_found')
    expect(file.message).toContain('params.json')
  })

  it('refs outside the spec folder (relative, absolute, through a symbolic link) and to URLs are refused, nothing read', async () => {
    const outside = join(dir, 'outside.json')
    writeFileSync(outside, JSON.stringify({ P: { name: 'secret', in: 'query' } }))
    const refTo = (ref: string) => base({ '/a': { get: { parameters: [{ $ref: ref }], responses: {} } } })
    expect((await problem(spec(refTo('../outside.json#/P')))).code).toBe('ref_outside_folder')
    expect((await problem(spec(refTo(`${outside}#/P`)))).code).toBe('ref_outside_folder')
    const linked = spec(refTo('link.json#/P'))
    symlinkSync(outside, join(linked, '..', 'link.json'))
    const viaLink = await problem(linked)
    expect(viaLink.code).toBe('ref_outside_folder')
    expect(viaLink.message).toContain("outside the spec's folder")
    const network = await problem(spec(refTo('https://attacker.example/p.json#/P')))
    expect(network.code).toBe('ref_network')
    expect(network.message).toContain('nothing is fetched')
  })

  it('huge strings become bounded names, keys and descriptions; a path too long to send is reported', async () => {
    const huge = 'x'.repeat(5_000_000)
    const doc = {
      openapi: '3.1.0',
      info: { title: huge, version: '1', description: huge },
      paths: {
        '/items': {
          post: {
            operationId: huge,
            summary: huge,
            description: huge,
            parameters: [
              {
                name: huge.slice(0, 100_000),
                in: 'query',
                schema: { type: 'string', enum: Array.from({ length: 50_000 }, (_, i) => `v${i}`) },
              },
            ],
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { [huge.slice(0, 1000)]: { type: 'string', pattern: huge.slice(0, 10_000) } } },
                },
              },
            },
            responses: {},
          },
        },
        [`/${'p'.repeat(100_000)}`]: { get: { responses: {} } },
      },
    }
    const { connector, report, validation } = await importOpenApi(spec(doc))
    expect(validation.errors).toEqual([])
    const action = connector.actions![0]!
    expect(action.key.length).toBeLessThanOrEqual(64)
    expect(action.name.length).toBeLessThanOrEqual(120)
    expect(action.description!.length).toBeLessThanOrEqual(1000)
    expect(connector.name.length).toBeLessThanOrEqual(80)
    expect(JSON.stringify(connector).length).toBeLessThan(2_000_000)
    expect(report.notMapped).toEqual([
      { operation: expect.stringMatching(/^GET \/p+…$/), reason: 'its path is longer than 2,048 characters' },
    ])
  }, 60_000)

  it('an oversized file is refused before it is read', async () => {
    const file = spec('{}')
    truncateSync(file, MAX_FILE_BYTES + 1)
    const error = await problem(file)
    expect(error.code).toBe('spec_too_large')
    expect(error.message).toContain('at most 64 MB')
  })

  it('not OpenAPI, Swagger 1.2, malformed JSON, a YAML alias bomb and deep nesting are clear errors', async () => {
    expect((await problem(spec({ hello: 'world' }))).message).toContain('neither "openapi" nor "swagger"')
    expect((await problem(spec({ swagger: '1.2', paths: {} }))).code).toBe('spec_unsupported')
    const malformed = await problem(spec('{"openapi": "3.0.0",\n  "info": }'))
    expect(malformed).toMatchObject({ code: 'spec_malformed', message: expect.stringContaining('line 2') })
    const aliases = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefg'.split('').map((c, i) => `${c}: &${c} [${`*${'abcdef'[i]},`.repeat(9)}]`)]
    const bomb = await problem(spec(`openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n${aliases.join('\n')}\n`, 'openapi.yaml'))
    expect(bomb.code).toBe('spec_malformed')
    const deep = await problem(
      spec(`{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{},"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    )
    expect(deep).toMatchObject({ code: 'spec_malformed', message: expect.stringContaining('nested more than 256 levels') })
  })

  it('prototype names and duplicate operationIds stay plain data; an empty spec is still a valid connector', async () => {
    const doc = base({
      '/a': {
        post: {
          operationId: 'same',
          parameters: [{ name: '__proto__', in: 'query', schema: { type: 'string' } }],
          requestBody: {
            content: {
              'application/json': {
                schema: { type: 'object', properties: { __proto__: { type: 'string' }, constructor: { type: 'string' } } },
              },
            },
          },
          responses: {},
        },
      },
      '/b': { get: { operationId: 'same', responses: {} } },
    })
    const text = JSON.stringify(doc).replace('"properties":{"constructor"', '"properties":{"__proto__":{"type":"string"},"constructor"')
    const { connector, validation } = await importOpenApi(spec(text))
    expect(validation.errors).toEqual([])
    expect(connector.actions!.map((a) => a.key)).toEqual(['same', 'same_2'])
    const post = connector.actions![0]!
    expect(Object.keys(post.query!)).toEqual(['__proto__'])
    expect(Object.keys(post.body as object)).toEqual(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(post.body)).toBe(Object.prototype)
    const empty = await importOpenApi(spec(base({})))
    expect(empty.validation.errors).toEqual([])
    expect(empty.connector.actions).toBeUndefined()
    expect(empty.report.test.reason).toContain('add a test request by hand')
  })
})
