/**
 * AWS Signature V4 end to end against an S3-like stand-in that verifies signatures the way S3 does
 * (`providers/sigv4.ts`, written from the AWS documentation, not with the signing library): connection tests,
 * actions (JSON body) and the proxy (encoded query, binary upload read whole and hashed), with the right
 * credentials, a wrong secret, an unknown key, temporary credentials with and without their session token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../runtime/harness.ts'
import { type Served, serve } from './providers/serve.ts'
import { canonicalRequest, s3Error, signature, verifySigV4 } from './providers/sigv4.ts'

const AKID = 'AKIAMKSIGV4TESTKEY01'
const SECRET = `mk-sigv4-secret-${'q'.repeat(8)}/K7MDENG+bPxRfiCY`
const TEMP_AKID = 'ASIAMKSIGV4TEMPKEY01'
const TEMP_SECRET = 'mk-sigv4-temp-secret-Zx81'
const TEMP_TOKEN = 'mk-sigv4-session-token-FQoGZXIvYXdzE'
const connections = '/api/apps/default/connections'

let h: Harness
let s3: Served
const objects = new Map<string, Buffer>()

beforeAll(async () => {
  h = await createHarness()
  s3 = await serve((raw) => {
    const verdict = verifySigV4(raw, {
      secrets: new Map([
        [AKID, SECRET],
        [TEMP_AKID, TEMP_SECRET],
      ]),
      sessionTokens: new Map([[TEMP_AKID, TEMP_TOKEN]]),
      region: 'eu-west-1',
      service: 's3',
    })
    if (!verdict.ok) return { status: verdict.status, headers: { 'content-type': 'application/xml' }, body: s3Error(verdict.code) }
    const path = raw.url.split('?')[0]!
    if (raw.method === 'GET' && path === '/') return { body: { buckets: ['reports'], owner: verdict.accessKeyId } }
    if (raw.method === 'PUT') {
      objects.set(decodeURIComponent(path), raw.body)
      return { body: { etag: 'mk-etag', bytes: raw.body.length } }
    }
    if (raw.method === 'GET') return { body: { listed: path, query: raw.url.split('?')[1] ?? '' } }
    return { status: 405, body: s3Error('MethodNotAllowed') }
  })
  const connector = {
    id: 'mini-s3',
    name: 'Mini S3',
    baseUrl: s3.origin,
    auth: [
      {
        type: 'awsSigV4',
        id: 'accessKey',
        fields: [
          { key: 'accessKeyId', label: 'Access key ID', type: 'text', required: true },
          { key: 'secretAccessKey', label: 'Secret access key', type: 'secret', required: true },
          { key: 'sessionToken', label: 'Session token', type: 'secret' },
          {
            key: 'region',
            label: 'Region',
            type: 'select',
            required: true,
            default: 'eu-west-1',
            options: [
              { value: 'eu-west-1', label: 'Europe (Ireland)' },
              { value: 'us-east-1', label: 'US East' },
            ],
          },
        ],
        accessKeyId: '{{accessKeyId}}',
        secretAccessKey: '{{secretAccessKey}}',
        sessionToken: '{{sessionToken}}',
        region: '{{region}}',
        service: 's3',
      },
    ],
    test: { path: '/', label: '{{body.owner}}' },
    actions: [
      {
        key: 'putNote',
        name: 'Put a note',
        method: 'PUT',
        path: '/{{input.bucket}}/{{input.key}}',
        body: { note: '{{input.note}}' },
        input: {
          type: 'object',
          required: ['bucket', 'key', 'note'],
          properties: { bucket: { type: 'string' }, key: { type: 'string' }, note: { type: 'string' } },
        },
      },
    ],
  }
  expect((await h.call('POST', '/api/connectors', { body: connector })).status).toBe(201)
})

afterAll(async () => {
  await s3.close()
  await h.close()
})

async function connect(values: Record<string, string>): Promise<string> {
  const created = await h.call('POST', connections, { body: { connectorId: 'mini-s3', name: `S3 ${Math.random()}`, values } })
  expect(created.status).toBe(201)
  return created.body.id
}

describe('the stand-in verifier', () => {
  it('agrees with the worked example of the AWS documentation (IAM ListUsers)', () => {
    const headers = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: 'iam.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
    }
    const canonical = canonicalRequest(
      { method: 'GET', url: '/?Action=ListUsers&Version=2010-05-08', headers },
      ['content-type', 'host', 'x-amz-date'],
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'iam',
    )
    expect(
      signature('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical),
    ).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7')
  })
})

describe('an awsSigV4 connection', () => {
  it('tests, runs actions and proxies with every request signed, body hash included', async () => {
    const id = await connect({ accessKeyId: AKID, secretAccessKey: SECRET, region: 'eu-west-1' })
    const test = await h.call('POST', `${connections}/${id}/test`)
    expect(test.body).toMatchObject({ ok: true, label: AKID })

    const action = await h.call('POST', `${connections}/${id}/actions/putNote`, {
      body: { inputs: { bucket: 'reports', key: 'q1 notes.json', note: 'ünïcode & more' } },
    })
    expect(action.body).toMatchObject({ ok: true, status: 200 })
    expect(JSON.parse(objects.get('/reports/q1 notes.json')!.toString())).toEqual({ note: 'ünïcode & more' })
    const put = s3.seen.at(-1)!
    expect(String(put.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAMKSIGV4TESTKEY01\/\d{8}\/eu-west-1\/s3\/aws4_request/,
    )
    expect(String(put.headers.authorization)).toContain('content-type')

    const listed = await h.call('GET', `${connections}/${id}/proxy/reports?list-type=2&prefix=q1%20n&delimiter=%2F`)
    expect(listed.status).toBe(200)
    expect(listed.body).toMatchObject({ listed: '/reports', query: 'list-type=2&prefix=q1%20n&delimiter=%2F' })

    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const res = await h.app.request(`${connections}/${id}/proxy/reports/raw.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/octet-stream', 'x-amz-meta-origin': 'switchboard' },
      body: bytes,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ bytes: 256 })
    expect(objects.get('/reports/raw.bin')).toEqual(bytes)
    expect(String(s3.seen.at(-1)!.headers.authorization)).toContain('x-amz-meta-origin')
  })

  it('never connects with a wrong secret or an unknown key, and says the credentials were rejected', async () => {
    for (const values of [
      { accessKeyId: AKID, secretAccessKey: 'mk-wrong-secret-0000000', region: 'eu-west-1' },
      { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: SECRET, region: 'eu-west-1' },
      { accessKeyId: AKID, secretAccessKey: SECRET, region: 'us-east-1' },
    ]) {
      const id = await connect(values)
      const test = await h.call('POST', `${connections}/${id}/test`)
      expect(test.body.ok).toBe(false)
      expect(test.body.status).toBe(403)
      const proxied = await h.call('GET', `${connections}/${id}/proxy/reports`)
      expect(proxied.status).toBe(403)
    }
  })

  it('signs temporary credentials with their session token, and fails without it', async () => {
    const withToken = await connect({ accessKeyId: TEMP_AKID, secretAccessKey: TEMP_SECRET, sessionToken: TEMP_TOKEN, region: 'eu-west-1' })
    expect((await h.call('POST', `${connections}/${withToken}/test`)).body).toMatchObject({ ok: true })
    expect(s3.seen.at(-1)!.headers['x-amz-security-token']).toBe(TEMP_TOKEN)
    const without = await connect({ accessKeyId: TEMP_AKID, secretAccessKey: TEMP_SECRET, region: 'eu-west-1' })
    expect((await h.call('POST', `${connections}/${without}/test`)).body).toMatchObject({ ok: false, status: 403 })
  })

  it('never shows the secret, the session token or a signature', async () => {
    const seenSignatures = s3.seen.map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers.authorization))?.[1]).filter(Boolean)
    expect(seenSignatures.length).toBeGreaterThan(3)
    for (const response of h.responses) {
      for (const secret of [SECRET, TEMP_SECRET, TEMP_TOKEN, ...seenSignatures]) expect(response.text).not.toContain(secret)
    }
    for (const line of h.log) for (const secret of [SECRET, TEMP_SECRET, TEMP_TOKEN]) expect(line).not.toContain(secret)
  })
})
