/**
 * The built-in GitHub App and Salesforce connectors, as shipped, against stand-ins of their APIs: only the hosts
 * are moved to loopback (every path, claim, header, pointer and rule is the built-in's own). A wrong credential
 * never tests as connected; the right one does, through the test, an action and the proxy.
 */
import { generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSalesforce } from '../oauth2/additions-providers.ts'
import { addConnection, authorize, outcome } from '../oauth2/flow.ts'
import { createHarness, type Harness, leaksOf } from '../oauth2/harness.ts'
import { startGitHubApp } from './jwt-providers.ts'

let h: Harness
const secrets: string[] = []
const closers: Array<() => Promise<void>> = []

/** A built-in connector with its hosts replaced, under another id. */
async function standIn(id: string, hosts: Array<[string, string]>): Promise<string> {
  let text = await readFile(new URL(`../../connectors/${id}.json`, import.meta.url), 'utf8')
  for (const [from, to] of hosts) text = text.replaceAll(from, to)
  const doc = JSON.parse(text)
  doc.id = `${id}-standin`
  delete doc.$schema
  await h.addConnector(doc)
  return doc.id
}

const base = (id: string) => `/api/apps/default/connections/${id}`

beforeAll(async () => {
  h = await createHarness({ oauth2: { backoffMs: 1 } })
})

afterAll(async () => {
  expect(leaksOf({ log: [await h.storeText()], emitted: [] }, secrets)).toEqual([])
  expect(leaksOf(h, secrets)).toEqual([])
  for (const close of closers) await close()
  await h.close()
})

describe('github-app', () => {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = key.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

  it('a key of another app never connects; the app key does, and runs actions and the proxy', async () => {
    const gh = await startGitHubApp({ appId: '424242', installationId: '1001', publicKey: key.publicKey, now: () => h.now.ms })
    closers.push(gh.close)
    secrets.push(...[pem, other].flatMap((k) => k.split('\n').filter((line) => line.length > 40)))
    const connectorId = await standIn('github-app', [['https://api.github.com', gh.origin]])
    const id = await addConnection(h, connectorId, { values: { appId: '424242', installationId: '1001' } })
    const put = (privateKey: string) => h.call('PUT', `${base(id)}/credentials`, { body: { values: { privateKey } } })

    expect((await put(other)).status).toBe(200)
    expect((await h.call('POST', `${base(id)}/test`)).body).toMatchObject({ ok: false, problem: 'credentials_rejected' })

    h.now.ms += 60_000
    expect((await put(pem)).status).toBe(200)
    expect((await h.call('POST', `${base(id)}/test`)).body).toMatchObject({ ok: true, label: 'acme' })
    const run = await h.call('POST', `${base(id)}/actions/listRepositories`, { body: { inputs: {} } })
    expect(run.body).toMatchObject({ ok: true, status: 200 })
    expect((await h.call('GET', `${base(id)}/proxy/installation/repositories`)).status).toBe(200)
    const exchange = gh.seen.find((r) => r.path === '/app/installations/1001/access_tokens' && r.headers['user-agent'] === 'Switchboard')
    expect(exchange?.headers['x-github-api-version']).toBe('2022-11-28')
    secrets.push(...gh.issued)
  })
})

describe('salesforce', () => {
  it('a wrong client secret never connects; the right one moves the base URL to the instance and works there', async () => {
    const clientSecret = `sf-builtin-${Date.now().toString(36)}-77aa`
    const sf = await startSalesforce({ clientId: '3MVG9-builtin', clientSecret })
    closers.push(sf.close)
    const connectorId = await standIn('salesforce', [
      ['https://{{environment}}.salesforce.com', sf.login.origin],
      ['*.my.salesforce.com', `http://127.0.0.1:${sf.instance.port}`],
    ])
    const app = (secret: string) =>
      h.call('PUT', `/api/connectors/${connectorId}/oauth-app`, { body: { clientId: '3MVG9-builtin', clientSecret: secret } })

    await app('wrong-secret-0000')
    const id = await addConnection(h, connectorId)
    expect(outcome((await authorize(h, id)).final).oauth).toBe('error')
    expect((await h.call('GET', base(id))).body.status).toBe('not_connected')
    expect((await h.call('POST', `${base(id)}/test`)).body.ok).toBe(false)

    await app(clientSecret)
    expect(outcome((await authorize(h, id)).final).oauth).toBe('success')
    expect((await h.call('GET', base(id))).body).toMatchObject({ status: 'connected', baseUrl: sf.instance.origin })
    expect((await h.call('POST', `${base(id)}/test`)).body).toMatchObject({ ok: true, label: 'admin@acme.example' })
    const run = await h.call('POST', `${base(id)}/actions/query`, { body: { inputs: { soql: 'SELECT Id FROM Account' } } })
    expect(run.body).toMatchObject({ ok: true, status: 200 })
    expect(sf.instance.seen.at(-1)).toMatchObject({ path: '/services/data/v60.0/query' })
    expect((await h.call('GET', `${base(id)}/proxy/services/data/v60.0/limits`)).status).toBe(200)
    secrets.push(...sf.issued)
  })
})
