/**
 * Nothing a user sends stalls the runtime through a pattern. Hostile patterns (the reported polynomial
 * ones and a generated corpus of ReDoS shapes) meet hostile values through every path that evaluates a
 * pattern — the validator, draft tests, creating a connection, connecting, changing field values,
 * running an action — while /api/health is asked, again and again, how long it takes to answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compilePattern } from '../../schemas/pattern/index.ts'
import { inputValidator } from '../../schemas/validate/index.ts'
import { type ApiResponse, createHarness, type Harness, startUpstream, type Upstream } from '../runtime/harness.ts'

/** A pattern, and a character it repeats on: the value is that character many times, then one that fails. */
interface Hostile {
  pattern: string
  pump: string
}

/** FieldValue's maxLength: the longest value the API takes for a field. */
const FIELD_LENGTH = 8192
/** Action inputs and field defaults have no such bound; 10 KB is plenty for any backtracking engine. */
const INPUT_LENGTH = 10_000
const BATCH = 10
const TOKEN = 'stall-token-4f9a2c'

/** The report's patterns: on V8, each stalled the event loop for over a minute on a 41-character value. */
const REPORTED: Hostile[] = [
  { pattern: '(.*a){12}', pump: 'a' },
  { pattern: '[\\s\\S]*[\\s\\S]*[\\s\\S]*x', pump: 'a' },
  { pattern: '\\p{L}+\\p{L}+$', pump: 'a' },
]

/**
 * The classic shapes of catastrophic and polynomial backtracking over atoms that overlap: nested and
 * adjacent quantifiers, overlapping alternatives, `(.*a){n}`, star height three, `(\w+\s?)*$`; and the
 * constructs RE2 refuses (backreferences, lookaround, repetitions past its bounds) built the same way.
 */
function generate(): Hostile[] {
  const atoms: Array<[string, string]> = [
    ['a', 'a'],
    ['\\w', 'a'],
    ['.', 'a'],
    ['[a-z]', 'a'],
    ['\\p{L}', 'é'],
    ['\\p{Ll}', 'a'],
    ['[\\s\\S]', 'a'],
    ['\\d', '1'],
    ['\\S', 'a'],
    ['[^!]', 'a'],
    ['(?:a|a)', 'a'],
    ['(?:a|aa)', 'a'],
    ['(?:\\w|\\d)', '1'],
    ['[\\p{L}\\d]', 'a'],
  ]
  const tails = ['$', 'x', '\\d$', '']
  const out: Hostile[] = []
  atoms.forEach(([atom, pump], i) => {
    ;['+', '*', '{1,9}', '{2,}'].forEach((inner, j) => {
      ;['+', '*', '{2,}'].forEach((outer, k) =>
        out.push({ pattern: `(${atom}${inner})${outer}${tails[(i + j + k) % tails.length]}`, pump }),
      )
    })
    for (const q of ['+', '*']) out.push({ pattern: `${atom}${q}${atom}${q}${atom}${q}$`, pump })
    out.push({ pattern: `((${atom}+)*)+$`, pump })
    out.push({ pattern: `(${atom}+\\s?)*$`, pump })
    out.push({ pattern: `(.*${atom}){12}x`, pump })
    out.push({ pattern: `^(${atom}|${atom}${atom})*$|!`, pump })
    // What RE2 cannot run, in the same shapes.
    out.push({ pattern: `(${atom}+)\\1*$`, pump })
    out.push({ pattern: `^(?=(${atom}+)+$)x`, pump })
    out.push({ pattern: `(?<!(${atom}|${atom})*)!`, pump })
    out.push({ pattern: `(${atom}{1,30}){1,50}`, pump })
  })
  for (const n of [3, 5, 20]) out.push({ pattern: `(.*a){${n}}`, pump: 'a' })
  out.push(
    { pattern: '(a|a)*', pump: 'a' },
    { pattern: '(a+)+', pump: 'a' },
    { pattern: '(\\w+\\s?)*$', pump: 'a' },
    { pattern: '(?<x>\\w+)\\k<x>$', pump: 'a' },
  )
  return out
}

const corpus = [...new Map([...REPORTED, ...generate()].map((x) => [x.pattern, x])).values()]
const refused = corpus.filter((x) => !compilePattern(x.pattern).ok)
const runnable = corpus.filter((x) => compilePattern(x.pattern).ok)
const attack = (x: Hostile, length: number) => `${x.pump.repeat(length - 1)}!`
/** What the runtime must answer, from the module itself: these tests are about time, not semantics. */
const matchesWhole = (source: string, value: string) => {
  const pattern = compilePattern(source)
  return pattern.ok && pattern.matches(value)
}
const matchesAnywhere = (source: string, value: string) => {
  const pattern = compilePattern(source)
  return pattern.ok && pattern.test(value)
}

let h: Harness
let upstream: Upstream
beforeAll(async () => {
  h = await createHarness()
  upstream = await startUpstream(() => ({ body: { ok: true } }))
})
afterAll(async () => {
  await upstream?.close()
  await h?.close()
})

describe('the pattern engine', () => {
  it('refuses backreferences and lookaround with a message that says why', () => {
    for (const source of ['(a)\\1', '(?<x>a)\\k<x>', '(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b']) {
      const pattern = compilePattern(source)
      expect(pattern.ok, source).toBe(false)
      if (!pattern.ok) expect(pattern.reason).toMatch(/(backreference|lookaround).*not supported: patterns run on a linear-time engine/)
    }
  })

  it('has a corpus of at least 200 hostile patterns, every one a regular expression, the reported ones runnable', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200)
    for (const x of refused) expect(compilePattern(x.pattern), x.pattern).toMatchObject({ keyword: 'regexUnsupported' })
    for (const x of REPORTED) expect(runnable).toContain(x)
    expect(refused.length).toBeGreaterThan(20)
    expect(runnable.length).toBeGreaterThan(150)
  })
})

describe('hostile patterns and values through every path', () => {
  it("answer in linear time, with the validator's error for what RE2 refuses, while /api/health stays responsive", async () => {
    // The baseline is the same traffic with short values: what /api/health takes while this process is busy.
    const calm = await underProbe(() => drive('calm', () => 'ab'))
    const hostile = await underProbe(() => drive('hostile', attack))
    const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.95)]!
    const max = (samples: number[]) => Math.max(...samples)
    const report = {
      patterns: corpus.length,
      refusedByRe2: refused.length,
      evaluated: runnable.length,
      requests: hostile.result.counts,
      slowestRequestMs: { calm: calm.result.slowestMs, hostile: hostile.result.slowestMs },
      healthP95Ms: { calm: Math.round(p95(calm.latencies)), hostile: Math.round(p95(hostile.latencies)) },
      healthMaxMs: { calm: Math.round(max(calm.latencies)), hostile: Math.round(max(hostile.latencies)) },
      ratio: +(p95(hostile.latencies) / p95(calm.latencies)).toFixed(2),
    }
    console.log(`stall suite: ${JSON.stringify(report)}`)
    expect(hostile.latencies.length).toBeGreaterThan(20)
    // Ratios to the calm run, so that contention with other processes, which slows both, is no failure.
    // The usual answer stays usual; and no answer waits the seconds a stall takes, which a percentile
    // alone would hide among thousands of answers.
    expect(p95(hostile.latencies)).toBeLessThanOrEqual(3 * p95(calm.latencies) + 100)
    expect(max(hostile.latencies)).toBeLessThanOrEqual(Math.max(4 * max(calm.latencies), max(calm.latencies) + 1500))
  }, 180_000)

  it('run through patternProperties on RE2 as well, which the connector format does not even take', async () => {
    for (const x of runnable) {
      const validate = inputValidator({ type: 'object', patternProperties: { [x.pattern]: { type: 'string', pattern: x.pattern } } })
      const value = attack(x, INPUT_LENGTH)
      // The key is the value: where the key matches, so does the value; what counts is the time taken.
      expect(validate({ [value]: value }), x.pattern).toBe(true)
    }
    const res = await h.call('POST', '/api/connectors', {
      body: connector('stall-pp', [], { patternProperties: { '(a+)+$': { type: 'string' } } }),
    })
    expect(res.status).toBe(400)
  })
})

/** Runs `work` while a loop asks /api/health, measuring from when each ask was due, so a blocked loop shows. */
async function underProbe<T>(work: () => Promise<T>): Promise<{ result: T; latencies: number[] }> {
  const latencies: number[] = []
  let done = false
  const probing = (async () => {
    let due = performance.now()
    while (!done) {
      const res = await h.app.request('/api/health')
      await res.text()
      const answered = performance.now()
      latencies.push(answered - due)
      // Counted from when the next ask is due, so a timer that fires late (a blocked loop) shows too.
      due = answered + 5
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  })()
  const result = await work()
  done = true
  await probing
  return { result, latencies }
}

/** Every path, for every pattern of the corpus; answers counted by path and status, and the slowest one's time. */
async function drive(
  run: string,
  value: (h: Hostile, length: number) => string,
): Promise<{ counts: Record<string, number>; slowestMs: number }> {
  const counts: Record<string, number> = {}
  // In-process requests that do no I/O resolve as microtasks and would starve the probe's timers; a
  // request from a socket starts in a task of its own, so each one here does too.
  const call = async (...args: Parameters<Harness['call']>) => {
    await new Promise((resolve) => setImmediate(resolve))
    const started = performance.now()
    const res = await h.call(...args)
    slowest = Math.max(slowest, performance.now() - started)
    return res
  }
  let slowest = 0
  const count = (what: string, res: ApiResponse) => void (counts[`${what} ${res.status}`] = (counts[`${what} ${res.status}`] ?? 0) + 1)
  const paths = (res: ApiResponse, keyword: string) =>
    res.body.error.details.errors
      .filter((e: { keyword: string }) => e.keyword === keyword)
      .map((e: { path: string }) => e.path)
      .sort()
  for (const [b, batch] of batches(refused).entries()) {
    // Every pattern is refused where it is written, in the field and in the action input alike.
    const where = batch.flatMap((_, k) => [`/fields/${k}/pattern`, `/actions/0/input/properties/q${k}/pattern`]).sort()
    const draft = connector(
      `stall-${run}-r${b}`,
      batch.map((x) => ({ ...x, default: value(x, INPUT_LENGTH) })),
    )
    const validated = await call('POST', '/api/connectors/validate', { body: draft })
    count('validate (refused)', validated)
    expect(validated.status).toBe(200)
    expect(validated.body.errors.map((e: { path: string; keyword: string }) => `${e.path} ${e.keyword}`).sort()).toEqual(
      where.map((p) => `${p} regexUnsupported`),
    )
    const values = Object.fromEntries(batch.map((x, k) => [`f${k}`, value(x, FIELD_LENGTH)]))
    const tested = await call('POST', '/api/connectors/test', { body: { connector: draft, values: { token: TOKEN, ...values } } })
    count('draft test (refused)', tested)
    expect([tested.status, tested.body.error.code]).toEqual([400, 'invalid_connector'])
    expect(paths(tested, 'regexUnsupported')).toEqual(where)
    expect(tested.body.error.details.errors[0].message).toContain('linear-time engine')
    const saved = await call('POST', '/api/connectors', { body: draft })
    count('save (refused)', saved)
    expect([saved.status, paths(saved, 'regexUnsupported')]).toEqual([400, where])
  }
  for (const [b, batch] of batches(runnable).entries()) {
    const id = `stall-${run}-b${b}`
    const fieldValues = Object.fromEntries(batch.map((x, k) => [`f${k}`, value(x, FIELD_LENGTH)]))
    const misses = batch.flatMap((x, k) => (matchesWhole(x.pattern, fieldValues[`f${k}`]!) ? [] : [`/values/f${k}`])).sort()
    const expectFieldChecks = (res: ApiResponse, what: string) => {
      count(what, res)
      if (misses.length === 0) return expect(res.status, res.text).toBeLessThan(300)
      expect([res.status, res.body.error.code, paths(res, 'fieldValue')], res.text).toEqual([400, 'invalid_values', misses])
    }
    const withDefaults = connector(
      `${id}-v`,
      batch.map((x) => ({ ...x, default: value(x, INPUT_LENGTH) })),
    )
    const validated = await call('POST', '/api/connectors/validate', { body: withDefaults })
    count('validate', validated)
    const badDefaults = batch.flatMap((x, k) =>
      matchesWhole(x.pattern, value(x, INPUT_LENGTH)) ? [] : [`/fields/${k}/default defaultPattern`],
    )
    expect(validated.body.errors.map((e: { path: string; keyword: string }) => `${e.path} ${e.keyword}`).sort()).toEqual(badDefaults.sort())
    const definition = connector(id, batch)
    expectFieldChecks(
      await call('POST', '/api/connectors/test', { body: { connector: definition, values: { token: TOKEN, ...fieldValues } } }),
      'draft test',
    )
    const saved = await call('POST', '/api/connectors', { body: definition })
    expect(saved.status, saved.text).toBe(201)
    expectFieldChecks(
      await call('POST', '/api/apps/default/connections', { body: { connectorId: id, name: 'hostile', values: fieldValues } }),
      'create connection',
    )
    const made = await call('POST', '/api/apps/default/connections', { body: { connectorId: id, name: 'plain' } })
    expect(made.status, made.text).toBe(201)
    const at = `/api/apps/default/connections/${made.body.id}`
    expectFieldChecks(await call('PUT', `${at}/credentials`, { body: { values: { token: TOKEN, ...fieldValues } } }), 'connect')
    const connected = await call('PUT', `${at}/credentials`, { body: { values: { token: TOKEN } } })
    expect(connected.status, connected.text).toBe(200)
    expectFieldChecks(await call('PATCH', at, { body: { values: fieldValues } }), 'change values')
    const inputs = Object.fromEntries(batch.map((x, k) => [`q${k}`, value(x, INPUT_LENGTH)]))
    const ran = await call('POST', `${at}/actions/run`, { body: { inputs } })
    count('run action', ran)
    const unmatched = batch.filter((x, k) => !matchesAnywhere(x.pattern, inputs[`q${k}`]!))
    if (unmatched.length === 0) expect(ran.status, ran.text).toBe(200)
    else expect([ran.status, ran.body.error.details.errors.length], ran.text).toEqual([400, unmatched.length])
  }
  return { counts, slowestMs: Math.round(slowest) }
}

/** The patterns in groups of {@link BATCH}: one definition carries a group, each in its own field and input. */
function batches(list: Hostile[]): Hostile[][] {
  return Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH))
}

/** A connector whose fields f0…, optional, carry the patterns, and whose action's inputs q0… carry them too. */
function connector(id: string, patterns: Array<Hostile & { default?: string }>, extraInput: object = {}) {
  return {
    id,
    name: `Stall ${id}`,
    baseUrl: upstream.origin,
    fields: patterns.map((x, k) => ({
      key: `f${k}`,
      label: `Field ${k}`,
      type: 'text',
      pattern: x.pattern,
      ...(x.default === undefined ? {} : { default: x.default }),
    })),
    auth: [{ type: 'bearer', id: 'token', fields: [{ key: 'token', label: 'Token', type: 'secret', required: true }], token: '{{token}}' }],
    test: { method: 'GET', path: '/me', successStatus: [200] },
    actions: [
      {
        key: 'run',
        name: 'Run',
        method: 'POST',
        path: '/run',
        body: Object.fromEntries(patterns.map((_, k) => [`q${k}`, `{{input.q${k}}}`])),
        input: {
          type: 'object',
          properties: Object.fromEntries(patterns.map((x, k) => [`q${k}`, { type: 'string', pattern: x.pattern }])),
          ...extraInput,
        },
      },
    ],
  }
}
