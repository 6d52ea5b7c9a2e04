/**
 * The echo masker as an oracle: an upstream that puts the credentials it received back into its answers
 * in chosen forms, and a caller who tries to read them back anyway — from when bytes arrive (a guessed
 * prefix held back), from a secret so short that masking it shows where it is, from escaped and encoded
 * spellings, from JSON object keys, from ranges that split a secret across responses, and from a header
 * the mask would turn invalid. PRODUCT.md ("Security rules"): masking is a last line of defence and must
 * not be readable back; where it cannot be made safe, the echo is refused instead.
 */
import { randomBytes, randomInt } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { putCredentials } from '../../runtime/core/connections/index.ts'
import { createByteMasker } from '../../runtime/core/requests/index.ts'
import type { ConnectionRecord } from '../../runtime/types.ts'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { revealed, spellings } from './leak-forms.ts'
import { gateOf, type Handler, reply, startRecorder, within } from './upstreams.ts'

const connections = '/api/apps/default/connections'
/** Long enough to fail a hang, never reached by a working run however loaded the machine. */
const SAFETY_MS = 20_000

/** A secret with `/`, `+`, `=`, a non-ASCII character and `<`: every encoding spells it differently. */
const SECRET = `Ab/${randomBytes(3).toString('hex')}+Q=é<${randomBytes(3).toString('hex')}`
/** The same characters without the non-ASCII one, so that it can travel raw in a header. */
const ASCII_SECRET = `Zq/${randomBytes(3).toString('hex')}+Kw=<${randomBytes(3).toString('hex')}`
/** Digits only: echoed as a JSON number, where a mask of `*` would break the JSON. */
const DIGITS_SECRET = `4${Array.from({ length: 15 }, () => randomInt(10)).join('')}`
const ALL_SECRETS = [SECRET, ASCII_SECRET, DIGITS_SECRET]

const FORMS = spellings(SECRET)
/** The spellings that are valid header values (printable ASCII). */
const HEADER_FORMS = Object.entries(FORMS).filter(([, form]) => /^[\x21-\x7e]+$/.test(form))
/** Text that cannot begin any spelling of a secret: what the oracle upstream writes before its guess. */
const HEAD = '.'.repeat(4096)

const encoder = new TextEncoder()
const decoder = new TextDecoder()

// ---------------------------------------------------------------------------------------------------------
// The masker itself
// ---------------------------------------------------------------------------------------------------------

/** How many attempts each kind of attack made, for the closing report. */
const tally = new Map<string, number>()
function count(what: string, n = 1): void {
  tally.set(what, (tally.get(what) ?? 0) + n)
}

/**
 * The lengths of what a fresh masker returns for `text` pushed in chunks of `sizes` (repeated until the
 * text is used up), the flush last.
 */
function pushLengths(secrets: string[], text: string, sizes: readonly number[]): number[] {
  const masker = createByteMasker(secrets)
  const bytes = encoder.encode(text)
  const lengths: number[] = []
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    lengths.push(masker.push(bytes.subarray(at, at + size)).byteLength)
    at += size
  }
  lengths.push(masker.flush().byteLength)
  return lengths
}

/** A character of the same UTF-8 length as `char`, that starts no spelling of a secret here. */
function wrongFor(char: string): string {
  return encoder.encode(char).length === 2 ? 'ñ' : '~'
}

describe('the streaming masker gives no timing oracle', () => {
  it('what push returns has lengths that depend on chunk lengths alone: a right and a wrong guess of a prefix look the same', () => {
    const secretChars = [...'abcdef0123456789/+=<é_-']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...secretChars), { minLength: 8, maxLength: 24 }).map((chars) => chars.join('')),
        fc.array(fc.constantFrom(...'abxyz .,{}":é/'), { maxLength: 80 }).map((chars) => chars.join('')),
        fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (secret, head, sizes, pick) => {
          const k = 1 + (pick % (secret.length - 1))
          const right = head + secret.slice(0, k)
          const wrong = head + secret.slice(0, k - 1) + wrongFor(secret[k - 1]!)
          // With no whole secret in either stream nothing is masked, so only what is held back can differ.
          const forms = Object.values(spellings(secret))
          fc.pre(!forms.some((form) => right.includes(form) || wrong.includes(form)))
          count('masker: a right and a wrong prefix guess, random chunks')
          expect(pushLengths([secret], right, sizes)).toEqual(pushLengths([secret], wrong, sizes))
        },
      ),
      { seed: 20250301, numRuns: 500 },
    )
  })

  it(`for every prefix length of a ${SECRET.length}-character secret, in whole, single-byte and uneven chunks`, () => {
    const differ: string[] = []
    for (let k = 1; k < SECRET.length; k++) {
      const right = HEAD.slice(0, 100) + SECRET.slice(0, k)
      const wrong = HEAD.slice(0, 100) + SECRET.slice(0, k - 1) + wrongFor(SECRET[k - 1]!)
      for (const sizes of [[1 << 20], [1], [7, 3, 50]]) {
        count('masker: a right and a wrong prefix guess, every prefix length')
        const a = pushLengths([SECRET], right, sizes)
        const b = pushLengths([SECRET], wrong, sizes)
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push(`k=${k}, chunks ${sizes.join('/')}: ${a.join(',')} vs ${b.join(',')}`)
      }
    }
    expect(differ).toEqual([])
  })

  it('every spelling is masked wherever one split falls in it', () => {
    const leaks: string[] = []
    for (const [name, form] of Object.entries(FORMS)) {
      const bytes = encoder.encode(`before ${form} after`)
      for (let at = 1; at < bytes.length; at++) {
        count('masker: a spelling split at one offset')
        const masker = createByteMasker([SECRET])
        const out = decoder.decode(Buffer.concat([masker.push(bytes.subarray(0, at)), masker.push(bytes.subarray(at)), masker.flush()]))
        if (revealed(out, [SECRET]).length > 0) {
          leaks.push(`${name} split at ${at}`)
          break
        }
      }
    }
    expect(leaks).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------------
// Through the runtime
// ---------------------------------------------------------------------------------------------------------

let h: Harness
let upstream: Awaited<ReturnType<typeof startRecorder>>
/** Lets a waiting `/oracle` or `/split` answer finish. */
let gate = gateOf()
/** What the connection test's request is answered with, from the secret the upstream received. */
let testReply: (secret: string) => { status?: number; headers?: Record<string, string>; body?: unknown } = () => ({
  body: { ok: true, login: 'nobody' },
})
/** What the token endpoint says, from the client secret it received. */
let tokenReply: (secret: string) => { status?: number; body?: unknown } = () => ({ status: 400, body: { error: 'invalid_client' } })

/** Every answer the runtime gave, for the closing sweep. */
const answers: Array<{ what: string; status: number; type: string; text: string; headers: string }> = []

/** Text lines `name: spelling`, one per spelling of the secret. */
function formsText(secret: string): string {
  return Object.entries(spellings(secret))
    .map(([name, form]) => `${name}: ${form}`)
    .join('\n')
}

const echo: Handler = async (seen, res) => {
  const url = new URL(seen.url, 'http://upstream')
  const query = url.searchParams
  const secret = query.get('key') ?? new URLSearchParams(seen.body.toString('utf8')).get('client_secret') ?? ''
  const forms = spellings(secret)
  const headerForms = Object.fromEntries(
    Object.entries(forms)
      .filter(([, form]) => /^[\x21-\x7e]+$/.test(form))
      .map(([name, form]) => [`x-form-${name}`, form]),
  )
  switch (url.pathname) {
    case '/forms': {
      // Streamed line by line.
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      for (const line of formsText(secret).split('\n')) res.write(`${line}\n`)
      return void res.end()
    }
    case '/header-forms':
      return reply(res, { headers: headerForms, body: { ok: true } })
    case '/oracle': {
      // A first chunk that ends in a guess at the secret's first k characters, then nothing until released.
      const k = Number(query.get('k'))
      const guess = query.get('guess') === 'right' ? secret.slice(0, k) : secret.slice(0, k - 1) + wrongFor(secret[k - 1]!)
      const held = gate
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.write(HEAD + guess)
      await held.promise
      return void res.end(' and the rest')
    }
    case '/split': {
      // One spelling cut in two at a byte offset; the second part only after the caller got the first chunk.
      const bytes = Buffer.from(forms[query.get('form') ?? 'raw']!, 'utf8')
      const at = Number(query.get('at'))
      const held = gate
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.write(Buffer.concat([Buffer.from(HEAD), bytes.subarray(0, at)]))
      await held.promise
      return void res.end(Buffer.concat([bytes.subarray(at), Buffer.from(' tail')]))
    }
    case '/number':
    case '/action/number':
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(`{"id":${secret},"ok":true,"ids":[${secret}],"note":"id ${secret}"}`)
    case '/header-echo':
      return reply(res, {
        headers: {
          'x-echo': `token ${secret}`,
          'x-echo-percent': encodeURIComponent(secret),
          link: `<https://api.example.test/next?key=${encodeURIComponent(secret)}>; rel="next"`,
        },
        body: { ok: true },
      })
    case '/action/forms':
      return reply(res, {
        headers: {
          'x-request-id': forms.base64!,
          etag: `"${forms['hex-lower']}"`,
          link: `<https://api.example.test/next?key=${forms['percent-lower']}>; rel="next"`,
          location: `https://api.example.test/item?k=${forms['base64url-in-1']}&u=${forms['json-u-upper']}`,
          'ratelimit-limit': forms['hex-upper']!,
        },
        body: {
          values: Object.fromEntries(Object.entries(forms).map(([name, form]) => [name, `before ${form} after`])),
          keys: Object.fromEntries(Object.entries(forms).map(([name, form]) => [form, name])),
          nested: [{ deep: { text: `said ${forms.raw}` } }],
        },
      })
    case '/action/text':
      return reply(res, { body: formsText(secret) })
    case '/action/keys':
      return reply(res, { body: { [secret]: 1 } })
    case '/test':
      return reply(res, testReply(secret))
    case '/token':
      return reply(res, tokenReply(secret))
    default:
      return reply(res, { body: { ok: true } })
  }
}

const ECHO_KEY = {
  id: 'echo-key',
  name: 'Echo key',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [
    {
      type: 'apiKey',
      id: 'key',
      fields: [{ key: 'apiKey', label: 'API key', type: 'secret', required: true }],
      placements: [
        { in: 'header', name: 'X-Api-Key', value: '{{apiKey}}' },
        { in: 'query', name: 'key', value: '{{apiKey}}' },
      ],
    },
  ],
  test: { method: 'GET', path: '/test', label: '{{body.login}}', bodyRules: [{ pointer: '/ok', equals: true }] },
  actions: [
    {
      key: 'echo',
      name: 'Echo',
      method: 'GET',
      path: '/action/{{input.what}}',
      input: { type: 'object', required: ['what'], properties: { what: { type: 'string' } } },
    },
  ],
}

/** Client credentials against the echoing upstream's token endpoint. */
const echoCc = (origin: string) => ({
  id: 'echo-cc',
  name: 'Echo client credentials',
  baseUrl: '{{baseUrl}}',
  fields: [{ key: 'baseUrl', label: 'Base URL', type: 'url', required: true }],
  auth: [
    {
      type: 'oauth2',
      id: 'machine',
      grant: 'client_credentials',
      tokenUrl: `${origin}/token`,
      clientAuth: 'client_secret_post',
      fields: [
        { key: 'clientId', label: 'Client id', type: 'text', required: true },
        { key: 'clientSecret', label: 'Client secret', type: 'secret', required: true },
      ],
    },
  ],
})

/** An API call in-process; a JSON answer that does not parse is recorded, not thrown. */
async function call(what: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await h.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${h.token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  let body: any = text
  let parses = true
  if (type.includes('json') && text !== '') {
    try {
      body = JSON.parse(text)
    } catch {
      parses = false
    }
  }
  const headers = [...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n')
  answers.push({ what, status: res.status, type, text, headers })
  return { status: res.status, headers: res.headers, text, body, parses, all: `${res.status}\n${headers}\n\n${text}` }
}

async function addConnection(connectorId: string, values: Record<string, string>): Promise<string> {
  const res = await call('create', 'POST', connections, { body: { connectorId, name: `${connectorId} ${answers.length}`, values } })
  if (res.status !== 201) throw new Error(`connection refused: ${res.text}`)
  return res.body.id as string
}

const ids: Record<'main' | 'ascii' | 'digits', string> = { main: '', ascii: '', digits: '' }
const proxy = (id: string, path: string) => `${connections}/${id}/proxy${path}`

beforeAll(async () => {
  upstream = await startRecorder(echo)
  h = await createHarness()
  for (const connector of [ECHO_KEY, echoCc(upstream.origin)]) {
    const res = await h.call('POST', '/api/connectors', { body: connector })
    if (res.status !== 201) throw new Error(`connector refused: ${res.text}`)
  }
  ids.main = await addConnection('echo-key', { baseUrl: upstream.origin, apiKey: SECRET })
  ids.ascii = await addConnection('echo-key', { baseUrl: upstream.origin, apiKey: ASCII_SECRET })
  ids.digits = await addConnection('echo-key', { baseUrl: upstream.origin, apiKey: DIGITS_SECRET })
})

afterAll(async () => {
  const total = [...tally.values()].reduce((sum, n) => sum + n, 0)
  console.info(`[masking oracle] ${total} hostile cases: ${[...tally].map(([what, n]) => `${n} × ${what}`).join('; ')}`)
  gate.open()
  await h?.close()
  await upstream?.close()
})

/**
 * Reads a proxied answer whose upstream waits after its first chunk: how many bytes the caller had before
 * the upstream went on, and the whole text. Event-driven: the upstream goes on once the first chunk is in.
 */
async function readAcrossGate(path: string, options: { record: boolean }): Promise<{ before: number; text: string; status: number }> {
  gate = gateOf()
  const held = gate
  try {
    const res = await within(
      Promise.resolve(h.app.request(path, { headers: { authorization: `Bearer ${h.token}` } })),
      SAFETY_MS,
      `no answer from ${path}`,
    )
    if (!res.body) return { before: 0, text: '', status: res.status }
    const reader = res.body.getReader()
    const first = await within(
      reader.read(),
      SAFETY_MS,
      `the proxy delivered nothing of a ${HEAD.length}-byte chunk until the upstream sent more: a trickling stream would stall`,
    )
    const parts: Uint8Array[] = first.done ? [] : [first.value]
    const before = first.done ? 0 : first.value.byteLength
    held.open()
    for (;;) {
      const next = await within(reader.read(), SAFETY_MS, `the rest of ${path} never came`)
      if (next.done) break
      parts.push(next.value)
    }
    const text = decoder.decode(Buffer.concat(parts))
    if (options.record)
      answers.push({
        what: `proxy ${path}`,
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        text,
        headers: [...res.headers].join('\n'),
      })
    return { before, text, status: res.status }
  } finally {
    held.open()
  }
}

describe('no timing oracle through the proxy', () => {
  it(`a right and a wrong guess of each prefix of the secret arrive the same: as much before the upstream pauses`, async () => {
    const differ: string[] = []
    for (let k = 1; k < SECRET.length; k++) {
      // Not swept at the end: these answers hold part of the secret by construction (the guess itself).
      const right = await readAcrossGate(proxy(ids.main, `/oracle?k=${k}&guess=right`), { record: false })
      const wrong = await readAcrossGate(proxy(ids.main, `/oracle?k=${k}&guess=wrong`), { record: false })
      count('proxy: a right and a wrong prefix guess')
      expect(right.status).toBe(200)
      if (right.before !== wrong.before)
        differ.push(`k=${k}: ${right.before} bytes before the pause for the right guess, ${wrong.before} for a wrong one`)
    }
    expect(differ).toEqual([])
  }, 120_000)
})

describe('short secrets are refused, not masked', () => {
  for (const short of ['x', 'ab', 'abcdefg']) {
    it(`connecting with a ${short.length}-character secret: 400, too short`, async () => {
      const created = await call('create short', 'POST', connections, {
        body: { connectorId: 'echo-key', name: `short ${short.length}`, values: { baseUrl: upstream.origin, apiKey: short } },
      })
      expect(created.status, created.text).toBe(400)
      expect(created.body.error.message).toMatch(/short/i)
      count('short secret: connect or reconnect', 2)
      const spare = await addConnection('echo-key', { baseUrl: upstream.origin, apiKey: `spare-${randomBytes(8).toString('hex')}` })
      const put = await call('reconnect short', 'PUT', `${connections}/${spare}/credentials`, { body: { values: { apiKey: short } } })
      expect(put.status, put.text).toBe(400)
      expect(put.body.error.message).toMatch(/short/i)
    })
  }

  for (const short of ['x', 'ab']) {
    const title = `a stored ${short.length}-character secret from older data`
    it(`${title}: proxy, action and test refuse with a 4xx that says to connect again`, async () => {
      const id = await addConnection('echo-key', { baseUrl: upstream.origin, apiKey: `placeholder-${randomBytes(8).toString('hex')}` })
      await h.store.transaction(async (tx) => {
        const record = (await tx.get<ConnectionRecord>('connections', id))!
        await putCredentials(tx, h.keyRing, record, undefined, { values: { apiKey: short } }, '2024-01-01T00:00:00.000Z')
      })
      const before = upstream.requests.length
      count('short stored secret: proxy, action, test', 3)
      for (const [what, res] of [
        ['proxy', await call('short proxy', 'GET', proxy(id, '/forms'))],
        ['action', await call('short action', 'POST', `${connections}/${id}/actions/echo`, { body: { inputs: { what: 'forms' } } })],
        ['test', await call('short test', 'POST', `${connections}/${id}/test`)],
      ] as const) {
        expect.soft(res.status, `${what}: ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
        expect.soft(res.status, what).toBeLessThan(500)
        expect.soft(res.body?.error?.message ?? '', what).toMatch(/connect/i)
      }
      expect.soft(upstream.requests.length - before, 'requests sent with the short secret').toBe(0)
    })
  }
})

describe('escaped and encoded spellings of the secret are masked', () => {
  it('through the proxy, streamed', async () => {
    const res = await call('proxy forms', 'GET', proxy(ids.main, '/forms'))
    expect(res.status, res.text.slice(0, 200)).toBe(200)
    // The echo happened: the upstream did receive the secret, so finding nothing means masking worked.
    expect(new URL(upstream.requests.at(-1)!.url, 'http://x').searchParams.get('key')).toBe(SECRET)
    count('proxy: spelling in a streamed body', Object.keys(FORMS).length)
    for (const [name, form] of Object.entries(FORMS)) {
      const line = res.text.split('\n').find((l) => l.startsWith(`${name}: `)) ?? ''
      expect.soft(revealed(line, [SECRET]), `body, ${name}: ${form}`).toEqual([])
    }
    expect(revealed(res.all, [SECRET])).toEqual([])
  })

  it('through the proxy, in response headers (the spellings that are valid header values)', async () => {
    const res = await call('proxy header forms', 'GET', proxy(ids.main, '/header-forms'))
    expect(res.status, res.text.slice(0, 200)).toBe(200)
    count('proxy: spelling in a response header', HEADER_FORMS.length)
    for (const [name] of HEADER_FORMS) {
      const value = res.headers.get(`x-form-${name}`)
      expect.soft(value, `header x-form-${name} arrives`).not.toBeNull()
      expect.soft(revealed(value ?? '', [SECRET]), `header x-form-${name}`).toEqual([])
    }
    expect(revealed(res.all, [SECRET])).toEqual([])
  })

  for (const form of ['raw', 'json-u-lower'] as const) {
    it(`through the proxy, the ${form} spelling split across two chunks at every byte offset`, async () => {
      const leaks: string[] = []
      const size = Buffer.byteLength(FORMS[form]!, 'utf8')
      for (let at = 1; at < size; at++) {
        const { text, status } = await readAcrossGate(proxy(ids.main, `/split?form=${form}&at=${at}`), { record: true })
        expect(status).toBe(200)
        count('proxy: a spelling split across two chunks')
        if (revealed(text, [SECRET]).length > 0) leaks.push(`split at ${at}`)
      }
      expect(leaks).toEqual([])
    }, 120_000)
  }

  it('in action output: string values, object keys, nested values and response headers', async () => {
    const res = await call('action forms', 'POST', `${connections}/${ids.main}/actions/echo`, { body: { inputs: { what: 'forms' } } })
    expect(res.status, res.text.slice(0, 200)).toBe(200)
    expect(res.parses, 'the answer is JSON').toBe(true)
    const body = res.body.body ?? {}
    count('action output: spelling as a value, as a key', 2 * Object.keys(FORMS).length)
    count('action output: spelling in a response header or a nested value', 6)
    for (const [name, value] of Object.entries(body.values ?? {}))
      expect.soft(revealed(String(value), [SECRET]), `value ${name}`).toEqual([])
    for (const key of Object.keys(body.keys ?? {})) expect.soft(revealed(key, [SECRET]), `object key ${body.keys[key]}`).toEqual([])
    expect.soft(revealed(JSON.stringify(body.nested ?? null), [SECRET]), 'nested value').toEqual([])
    for (const [name, value] of Object.entries(res.body.headers ?? {}))
      expect.soft(revealed(String(value), [SECRET]), `header ${name}`).toEqual([])
    expect(revealed(res.all, [SECRET])).toEqual([])
  })

  it('in action output given as text', async () => {
    const res = await call('action text', 'POST', `${connections}/${ids.main}/actions/echo`, { body: { inputs: { what: 'text' } } })
    expect(res.status, res.text.slice(0, 200)).toBe(200)
    expect(res.parses).toBe(true)
    count('action output: spelling in a text body', Object.keys(FORMS).length)
    for (const line of String(res.body.body).split('\n')) expect.soft(revealed(line, [SECRET]), line.split(':')[0]).toEqual([])
    expect(revealed(res.all, [SECRET])).toEqual([])
  })

  it('in a connection test result: the excerpt', async () => {
    testReply = (secret) => ({ status: 401, body: formsText(secret) })
    const res = await call('test excerpt', 'POST', `${connections}/${ids.main}/test`)
    expect(res.status).toBe(200)
    expect(res.parses).toBe(true)
    expect(res.body.response?.excerpt ?? '').toContain('hex-lower: ')
    count('test result: spelling in the excerpt', Object.keys(FORMS).length)
    for (const line of String(res.body.response?.excerpt ?? '').split('\n'))
      expect.soft(revealed(line, [SECRET]), line.split(':')[0]).toEqual([])
    expect(revealed(res.all, [SECRET])).toEqual([])
  })

  it('in a connection test result: the account label, as answered and as stored', async () => {
    const leaks: string[] = []
    for (const [name, form] of Object.entries(FORMS)) {
      testReply = () => ({ body: { ok: true, login: `user ${form}` } })
      const res = await call(`test label ${name}`, 'POST', `${connections}/${ids.main}/test`)
      expect(res.parses).toBe(true)
      expect(res.body.ok, res.text.slice(0, 300)).toBe(true)
      const view = await call('view', 'GET', `${connections}/${ids.main}`)
      count('test result: spelling in the label, answered and stored', 2)
      if (revealed(res.all, [SECRET]).length > 0) leaks.push(`${name} in the test result`)
      if (revealed(view.all, [SECRET]).length > 0) leaks.push(`${name} in the stored label`)
    }
    expect(leaks).toEqual([])
  })

  it("in a connection test's diagnosis, which quotes the API's error", async () => {
    const leaks: string[] = []
    for (const [name, form] of Object.entries(FORMS)) {
      testReply = () => ({ body: { ok: false, error: `denied ${form}` } })
      const res = await call(`test diagnosis ${name}`, 'POST', `${connections}/${ids.main}/test`)
      expect(res.parses).toBe(true)
      expect(res.body.problem).toBe('body_rule_failed')
      count('test result: spelling in the diagnosis')
      if (revealed(res.all, [SECRET]).length > 0) leaks.push(name)
    }
    expect(leaks).toEqual([])
  })

  it('in an error message: a token endpoint that quotes the client secret in error_description', async () => {
    const id = await addConnection('echo-cc', { baseUrl: upstream.origin, clientId: 'client-echo' })
    const leaks: string[] = []
    for (const [name] of Object.entries(FORMS)) {
      tokenReply = (secret) => ({
        status: 401,
        body: { error: 'invalid_client', error_description: `unknown client secret ${spellings(secret)[name]}` },
      })
      const res = await call(`client credentials ${name}`, 'PUT', `${connections}/${id}/credentials`, {
        body: { values: { clientSecret: SECRET } },
      })
      expect(res.parses).toBe(true)
      expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400)
      // The echo happened: the token endpoint got the client secret and quoted it.
      expect(new URLSearchParams(upstream.requests.at(-1)!.body.toString('utf8')).get('client_secret')).toBe(SECRET)
      count('error message: spelling in error_description')
      if (revealed(res.all, [SECRET]).length > 0) leaks.push(name)
    }
    expect(leaks).toEqual([])
  })

  it('a secret of digits echoed as a JSON number: every JSON answer still parses, and the number is hidden', async () => {
    const proxied = await call('proxy number', 'GET', proxy(ids.digits, '/number'))
    count('digits echoed as a JSON number: proxy, action, test', 3)
    expect.soft(proxied.status).toBe(200)
    expect.soft(proxied.parses, `the proxied JSON parses: ${proxied.text}`).toBe(true)
    expect.soft(revealed(proxied.all, [DIGITS_SECRET]), 'proxy').toEqual([])
    const action = await call('action number', 'POST', `${connections}/${ids.digits}/actions/echo`, {
      body: { inputs: { what: 'number' } },
    })
    expect.soft(action.parses, 'the action result parses').toBe(true)
    expect.soft(revealed(action.all, [DIGITS_SECRET]), 'action').toEqual([])
    testReply = (secret) => ({ body: { ok: true, login: Number(secret), id: Number(secret) } })
    const test = await call('test number', 'POST', `${connections}/${ids.digits}/test`)
    expect.soft(test.parses, 'the test result parses').toBe(true)
    expect.soft(revealed(test.all, [DIGITS_SECRET]), 'test').toEqual([])
  })
})

describe('object keys', () => {
  it('an action whose upstream answers { "<secret>": 1 } returns no secret', async () => {
    const res = await call('action keys', 'POST', `${connections}/${ids.main}/actions/echo`, { body: { inputs: { what: 'keys' } } })
    expect(res.status).toBe(200)
    expect(res.parses).toBe(true)
    count('action output: the secret as the only key')
    expect(revealed(res.all, [SECRET])).toEqual([])
  })
})

describe('ranges', () => {
  it("the proxy does not pass a caller's Range or If-Range on, so no response can hold part of a secret", async () => {
    const res = await call('proxy range', 'GET', proxy(ids.main, '/range'), { headers: { range: 'bytes=0-5', 'if-range': '"v1"' } })
    expect(res.status).toBe(200)
    count('proxy: Range and If-Range')
    const seen = upstream.requests.at(-1)!
    expect.soft(seen.headers.range, 'Range reached the upstream').toBeUndefined()
    expect.soft(seen.headers['if-range'], 'If-Range reached the upstream').toBeUndefined()
  })
})

describe('a header that echoes the secret', () => {
  it('is passed on masked, with a valid value, not turned into a 500', async () => {
    const res = await call('proxy header echo', 'GET', proxy(ids.ascii, '/header-echo'))
    count('proxy: the raw secret in a header')
    expect(res.status, res.text.slice(0, 200)).toBe(200)
    expect(res.headers.get('x-echo') ?? '', 'the header arrives').toMatch(/^token /)
    expect(revealed(res.all, [ASCII_SECRET])).toEqual([])
  })
})

describe('what the runtime said', () => {
  it('every JSON answer parses, and none — nor the log — holds a secret in any spelling', () => {
    expect
      .soft(
        answers.filter((a) => a.type.includes('json') && a.text !== '' && !parses(a.text)).map((a) => `${a.what} (${a.status})`),
        'JSON answers that do not parse',
      )
      .toEqual([])
    const leaking = answers.filter((a) => revealed(`${a.headers}\n${a.text}`, ALL_SECRETS).length > 0).map((a) => `${a.what} (${a.status})`)
    expect.soft([...new Set(leaking)], 'answers that reveal a secret').toEqual([])
    expect(revealed(h.log.join('\n'), ALL_SECRETS)).toEqual([])
  })
})

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
