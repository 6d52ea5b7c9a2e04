import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createByteMasker } from '../../runtime/core/requests/index.ts'
import { type FaultServer, startFaultServer } from '../actions/faults.ts'
import { createLab, type Lab } from '../actions/harness.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Feeds `text` to a fresh masker in the given chunk sizes and returns what comes out. */
function maskInChunks(secrets: string[], text: string, sizes: number[]): string {
  const masker = createByteMasker(secrets)
  const bytes = encoder.encode(text)
  const out: Uint8Array[] = []
  let at = 0
  for (const size of sizes) {
    if (at >= bytes.length) break
    out.push(masker.push(bytes.subarray(at, at + size)))
    at += size
  }
  if (at < bytes.length) out.push(masker.push(bytes.subarray(at)))
  out.push(masker.flush())
  return decoder.decode(Buffer.concat(out))
}

test('a secret is masked wherever the chunks split it, and the length is kept', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 4, maxLength: 24, unit: fc.constantFrom(...'abcXYZ019_-+/=') }),
      fc.array(fc.string({ maxLength: 30 }), { maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { maxLength: 40 }),
      (secret, parts, sizes) => {
        const text = parts.join(secret)
        const masked = maskInChunks([secret], text, sizes)
        expect(masked).not.toContain(secret)
        const before = encoder.encode(text)
        const after = encoder.encode(masked)
        expect(after.length).toBe(before.length)
        // Only masking changed bytes: into '*' (or '9' for a form of digits alone, which keeps a JSON number one).
        for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) expect([0x2a, 0x39]).toContain(after[i])
      },
    ),
    { numRuns: 300 },
  )
})

test('URL-, form- and JSON-encoded forms are masked too; text without secrets passes unchanged', () => {
  const secret = 'k/y+"z é'
  const text =
    `a=${encodeURIComponent(secret)}&b=${new URLSearchParams({ x: secret }).toString().slice(2)} ` + `${JSON.stringify({ c: secret })}`
  const masked = maskInChunks([secret], text, [3, 5, 7])
  for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) expect(masked).not.toContain(form)
  expect(maskInChunks([secret], 'nothing to see', [2])).toBe('nothing to see')
  expect(maskInChunks([], 'no secrets at all', [1, 1])).toBe('no secrets at all')
})

test('what is held back depends on lengths only, never on whether the tail looks like a secret', () => {
  const secret = 'abc12345'
  const hold = (masker: ReturnType<typeof createByteMasker>, chunks: string[]) =>
    chunks.map((chunk) => masker.push(encoder.encode(chunk)).byteLength)
  const right = hold(createByteMasker([secret]), ['data: 1\n\n', 'xxab', 'c12', '3'])
  const wrong = hold(createByteMasker([secret]), ['data: 1\n\n', 'xxzz', 'z99', '9'])
  expect(right).toEqual(wrong)
  const masker = createByteMasker([secret])
  const out = [
    masker.push(encoder.encode(`token=${secret.slice(0, 3)}`)),
    masker.push(encoder.encode(`${secret.slice(3)}!`)),
    masker.flush(),
  ]
  expect(out.map((part) => decoder.decode(part)).join('')).toBe('token=********!')
})

let lab: Lab
let faults: FaultServer

beforeAll(async () => {
  lab = await createLab()
  faults = await startFaultServer()
})

afterAll(async () => {
  await faults.close()
  await lab.close()
})

test('an upstream that echoes the credentials back does not hand them to the caller', async () => {
  const key = 'echoed_key_51d0c3a8'
  const id = await lab.connect({ connectorId: 'fault-lab', values: { baseUrl: `${faults.origin}/ok`, apiKey: key } })
  const res = await lab.raw(`/api/apps/default/connections/${id}/proxy/whoami`)
  const text = await res.text()
  expect(faults.requests.at(-1)!.headers['x-api-key']).toBe(key)
  expect(text).not.toContain(key)
  expect(text).toContain('*'.repeat(key.length))
  expect(JSON.parse(text).url).toBe(`/ok/whoami?key=${'*'.repeat(key.length)}`)
})
