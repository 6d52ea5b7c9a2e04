import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compileSchema,
  connectorSchema,
  type ValidationProblem,
  type ValidationResult,
  validateConnector,
} from '../../schemas/validate/index.ts'
import { type InvalidFixture, loadFixtures, parentPointer, resolvePointer, unreadable, type ValidFixture } from './helpers.ts'

// Random malformed connectors: mutations of the fixtures (delete, replace, insert, wrap at any depth)
// with hostile values — template fragments, huge strings, deep nesting, prototype-named keys. The
// validator must answer every one of them with data, never an exception, and point only at places
// that exist in the document.

// Fixed, so a failure reproduces; set PROPERTY_SEED to explore other runs.
const SEED = Number(process.env.PROPERTY_SEED ?? 20261122)
const RUNS = { mutations: 12_000, broken: 2_000, hostile: 600 }

const bases: unknown[] = [
  ...loadFixtures<ValidFixture>('valid').map((f) => f.connector),
  ...loadFixtures<InvalidFixture>('invalid').map((f) => f.connector),
  ...(connectorSchema.examples as unknown[]),
]

/** The raw schema check on the shared ajv instance, to tell structurally broken documents apart. */
const schemaCheck = compileSchema({ $ref: connectorSchema.$id })

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'polluted']
/** Names the schema uses, so that inserted keys land on real rules as often as on unknown ones. */
const SCHEMA_KEYS = [
  'id',
  'name',
  'type',
  'key',
  'label',
  'fields',
  'auth',
  'baseUrl',
  'headers',
  'test',
  'actions',
  'placements',
  'in',
  'value',
  'token',
  'username',
  'password',
  'grant',
  'authorizeUrl',
  'tokenUrl',
  'refreshUrl',
  'scopes',
  'defaultScopes',
  'pkce',
  'authorizeParams',
  'tokenResponse',
  'accessToken',
  'options',
  'default',
  'pattern',
  'path',
  'url',
  'query',
  'body',
  'bodyType',
  'bodyRules',
  'pointer',
  'equals',
  'exists',
  'successStatus',
  'input',
  'properties',
  'required',
  'items',
  'method',
  'categories',
  'tokn',
  'baseURL',
  '',
  'a/b',
  'x~y',
  '0',
]
const FRAGMENTS = [
  '{{',
  '}}',
  '{{}}',
  '{{ }}',
  '{{input}}',
  '{{input.',
  '{{body.x}}',
  '{{headers.x}}',
  '{{__proto__}}',
  '{{constructor}}',
  '{{token}}',
  '{{a.b.c}}',
  '{{ a | b }}',
  '{{{x}}}',
  '/../',
  '/./',
  '%2e%2E',
  '%2f',
  '%00',
  '\r\n',
  '\u0000',
  '://',
  '//',
  '?',
  '#',
  '\\',
  'https://',
  'http://evil.example',
  '{{baseUrl}}',
  '~1',
  '~0',
  '\u2028',
  '\ud800',
]

const templateText = fc
  .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 }), fc.constantFrom('', ...FRAGMENTS))
  .map((parts) => parts.join(''))
const hugeString = fc
  .tuple(fc.constantFrom('a', '{{', '}}', '{{x}}', '/..', '%2f', ' ', 'é'), fc.integer({ min: 5_000, max: 60_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)))
const deepValue = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('array', 'object', 'input'))
  .map(([depth, shape]) => nest(depth, shape))
const key = fc.oneof(fc.constantFrom(...SCHEMA_KEYS), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 }))
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  templateText,
  fc.constantFrom(...SCHEMA_KEYS, 'basic', 'apiKey', 'bearer', 'oauth2', 'select', 'secret', 'header', 'query', 'GET', 'form'),
)
const { junk } = fc.letrec<{ junk: unknown }>((tie) => ({
  junk: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: leaf, weight: 6 },
    { arbitrary: fc.array(tie('junk'), { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.array(fc.tuple(key, tie('junk')), { maxLength: 4 }).map(objectOf), weight: 2 },
  ),
}))
const pollution = fc
  .constantFrom(
    '{"__proto__": {"polluted": "yes"}}',
    '{"constructor": {"prototype": {"polluted": "yes"}}}',
    '{"__proto__": {"__proto__": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}',
  )
  .map((text) => JSON.parse(text) as unknown)
const value = fc.oneof(
  { arbitrary: junk, weight: 20 },
  { arbitrary: pollution, weight: 2 },
  { arbitrary: deepValue, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
)

type Mutation =
  | { kind: 'delete' | 'wrapInArray' | 'wrapInObject'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'insert'; at: number; key: string; value: unknown }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete', 'wrapInArray', 'wrapInObject'), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace'), at: fc.nat(), value }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), key, value }),
) as fc.Arbitrary<Mutation>

const mutated = fc
  .tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([base, mutations]) => document(bases[base], mutations))

// Thousands of runs: seconds alone, but CI shares two cores with the browser tests.
describe('validateConnector on random malformed definitions', { timeout: 180_000 }, () => {
  let protoKeys: string[]
  beforeAll(() => {
    protoKeys = Reflect.ownKeys(Object.prototype).map(String).sort()
  })
  afterAll(() => {
    // Every run above fed `__proto__`, `constructor` and `prototype` keys through ajv and the checks.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Reflect.ownKeys(Object.prototype).map(String).sort()).toEqual(protoKeys)
  })

  it(`never throws and points only into the document (${RUNS.mutations} mutations)`, () => {
    fc.assert(
      fc.property(mutated, (doc) => {
        checkInvariants(doc)
      }),
      { seed: SEED, numRuns: RUNS.mutations },
    )
  })

  it(`reports what certainly breaks a definition (${RUNS.broken} runs)`, () => {
    const broken = fc.tuple(
      mutated,
      fc.constantFrom('id', 'name', 'baseUrl', 'auth'),
      fc.constantFrom('colour', 'baseURL', '__proto__', 'constructor'),
    )
    fc.assert(
      fc.property(broken, ([doc, missing, unknown]) => {
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return
        const target = doc as Record<string, unknown>
        delete target[missing]
        Object.defineProperty(target, unknown, { value: 1, enumerable: true, writable: true, configurable: true })
        const result = checkInvariants(JSON.parse(JSON.stringify(target)))
        expect(result.valid).toBe(false)
        const found = (path: string, keyword: string) => result.errors.some((e) => e.path === path && e.keyword === keyword)
        // A document too deep, or one ajv could not check, has one summary error instead.
        if (result.errors.some((e) => e.keyword === 'maxDepth' || e.keyword === 'schema')) return
        expect(found(`/${missing}`, 'required'), `required /${missing}`).toBe(true)
        expect(found(`/${unknown}`, 'additionalProperties'), `unknown /${unknown}`).toBe(true)
      }),
      { seed: SEED + 1, numRuns: RUNS.broken },
    )
  })

  it(`survives hostile shapes anywhere (${RUNS.hostile} runs)`, () => {
    const hostile = fc.tuple(
      fc.nat({ max: bases.length - 1 }),
      fc.array(fc.record({ at: fc.nat(), value: fc.oneof(deepValue, hugeString, pollution) }), { minLength: 1, maxLength: 3 }),
    )
    fc.assert(
      fc.property(hostile, ([base, edits]) => {
        checkInvariants(
          document(
            bases[base],
            edits.map((e) => ({ kind: 'replace' as const, ...e })),
          ),
        )
      }),
      { seed: SEED + 2, numRuns: RUNS.hostile },
    )
  })

  it('refuses nesting past the limit with a pointer to where it starts', () => {
    const result = validateConnector({ ...(bases[0] as object), test: { method: 'POST', path: '/x', body: nest(100_000, 'array') } })
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]!.keyword).toBe('maxDepth')
    // The document, test and body are three levels: 97 more arrays inside the body make 100.
    expect(result.errors[0]!.path).toBe(`/test/body${'/0'.repeat(98)}`)
    const atLimit = validateConnector({ ...(bases[0] as object), test: { method: 'POST', path: '/x', body: nest(98, 'array') } })
    expect(atLimit.errors.map((e) => e.keyword)).not.toContain('maxDepth')
    const past = validateConnector({ ...(bases[0] as object), test: { method: 'POST', path: '/x', body: nest(99, 'array') } })
    expect(past.errors.map((e) => e.keyword)).toEqual(['maxDepth'])
  })
})

/** The invariants every answer keeps, whatever the document. Returns the answer for further checks. */
function checkInvariants(doc: unknown): ValidationResult {
  let result: ValidationResult
  try {
    result = validateConnector(doc)
  } catch (error) {
    throw new Error(`validateConnector threw ${String(error)} for ${JSON.stringify(doc).slice(0, 2000)}`)
  }
  expect(typeof result.valid).toBe('boolean')
  expect(result.valid).toBe(result.errors.length === 0)
  let structurallyBroken: boolean
  try {
    structurallyBroken = !schemaCheck(doc)
  } catch {
    structurallyBroken = true
  }
  if (structurallyBroken) expect(result.valid, 'the schema rejects it, so the answer must too').toBe(false)
  // A huge template repeating one placeholder gives thousands of identical problems: check each once.
  const seen = new Set<string>()
  for (const problem of [...result.errors, ...result.warnings]) {
    const key = `${problem.path}\u0000${problem.keyword}\u0000${problem.message}`
    if (!seen.has(key)) checkProblem(doc, problem)
    seen.add(key)
  }
  return result
}

/** Keywords whose path names a key that is missing: the parent object must exist instead. */
const MISSING_KEY = new Set(['required', 'discriminator'])

function checkProblem(doc: unknown, problem: ValidationProblem): void {
  const { path, keyword, message } = problem
  expect(typeof path === 'string' && (path === '' || path.startsWith('/')), `path ${path}`).toBe(true)
  expect(typeof keyword === 'string' && keyword.length > 0).toBe(true)
  const here = resolvePointer(doc, path)
  if (!here.found) {
    const parent = resolvePointer(doc, parentPointer(path))
    const isObject = typeof parent.value === 'object' && parent.value !== null && !Array.isArray(parent.value)
    expect(MISSING_KEY.has(keyword) && parent.found && isObject, `${keyword} at ${path} points nowhere: ${message}`).toBe(true)
  }
  // Random documents may spell "undefined" or "NaN" themselves; ajv's wording and unprintable objects never.
  expect(unreadable(problem, ['[object Object]', 'instancePath', 'schemaPath']), `${path}: ${message}`).toBeUndefined()
}

/** Applies mutations to a copy of `base`; the result goes through JSON so `__proto__` stays an own key. */
function document(base: unknown, mutations: readonly Mutation[]): unknown {
  let doc = JSON.parse(JSON.stringify(base)) as unknown
  for (const m of mutations) doc = apply(doc, m)
  return JSON.parse(JSON.stringify(doc))
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number }

function apply(doc: unknown, m: Mutation): unknown {
  if (m.kind === 'insert') {
    const containers = [doc, ...slots(doc).map((s) => get(s))].filter((v): v is object => typeof v === 'object' && v !== null)
    if (containers.length === 0) return m.value
    const target = containers[m.at % containers.length]!
    if (Array.isArray(target)) target.splice(m.at % (target.length + 1), 0, m.value)
    else setOwn(target as Record<string, unknown>, m.key, m.value)
    return doc
  }
  const all = slots(doc)
  if (all.length === 0) return m.kind === 'replace' ? m.value : doc
  const slot = all[m.at % all.length]!
  const current = get(slot)
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1)
      else delete slot.parent[slot.key as string]
      break
    case 'replace':
      set(slot, m.value)
      break
    case 'wrapInArray':
      set(slot, [current])
      break
    case 'wrapInObject':
      set(slot, objectOf([[String(slot.key), current]]))
      break
  }
  return doc
}

/** Every (container, key) in the document, breadth first. */
function slots(doc: unknown): Slot[] {
  const out: Slot[] = []
  const queue = [doc]
  while (queue.length > 0 && out.length < 5_000) {
    const node = queue.shift()
    if (typeof node !== 'object' || node === null) continue
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node)
    for (const [key, value] of entries) {
      out.push({ parent: node as Slot['parent'], key })
      queue.push(value)
    }
  }
  return out
}

function get(slot: Slot): unknown {
  return (slot.parent as Record<string | number, unknown>)[slot.key]
}

function set(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value
  else setOwn(slot.parent, slot.key as string, value)
}

/** Sets an own property even for `__proto__`, where plain assignment would change the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) setOwn(out, k, v)
  return out
}

/** `depth` levels of arrays, objects, or action-input properties (the recursive part of the schema). */
function nest(depth: number, shape: string): unknown {
  let inner: unknown = shape === 'input' ? { type: 'string' } : 1
  for (let i = 0; i < depth; i++) {
    inner = shape === 'array' ? [inner] : shape === 'object' ? { a: inner } : { type: 'object', properties: { a: inner } }
  }
  return inner
}
