import { createServer, type Server } from 'node:http'
import { type ServerType, serve } from '@hono/node-server'
import { Agent, request } from 'undici'
import { benchRuntime } from './runtime.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/** A JSON answer of about 1 KiB, the size of a typical list page. */
const PAYLOAD = JSON.stringify({
  items: Array.from({ length: 12 }, (_, i) => ({ id: `item_${i}`, name: `Item number ${i}`, done: i % 2 === 0 })),
})

/**
 * Requests per second and latency through the proxy (a real socket to the runtime: authentication,
 * connection and credential lookup, decryption, auth injection, SSRF-checked client, streamed and
 * masked answer) against the same requests sent straight to the same loopback upstream, in the same
 * run, at concurrency 1 and 64. Each cell runs for a fixed time after a warm-up.
 *
 * @example
 * printTable('proxy', await benchProxy())
 */
export async function benchProxy(options: { seconds?: number; concurrencies?: number[] } = {}): Promise<Row[]> {
  const seconds = options.seconds ?? 3
  const upstream: Server = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer bench-token'
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(PAYLOAD) })
    res.end(ok ? PAYLOAD : '')
  })
  upstream.keepAliveTimeout = 30_000
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const base = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`
  const rt = await benchRuntime()
  const { app, http, auth } = rt
  const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 })
  let server: ServerType | undefined
  try {
    const id = await rt.connect('generic-bearer', { baseUrl: base, testUrl: `${base}/me`, token: 'bench-token' })
    server = await new Promise<ServerType>((done) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s))
    })
    const runtime = `http://127.0.0.1:${(server.address() as { port: number }).port}`

    const targets = {
      direct: { url: `${base}/items?page=1`, headers: { authorization: 'Bearer bench-token' } },
      proxy: { url: `${runtime}/api/apps/default/connections/${id}/proxy/items?page=1`, headers: auth },
    }
    const send = {
      direct: sender(agent, targets.direct),
      // The runtime's outbound client alone, to show how much of the proxy's cost is the client's.
      client: async () => {
        const res = await http.request({ url: targets.direct.url, headers: targets.direct.headers, responseType: 'stream' })
        await new Response(res.body).arrayBuffer()
        if (res.status !== 200) throw new Error(`bench request answered ${res.status}`)
      },
      proxy: sender(agent, targets.proxy),
    }
    const rows: Row[] = []
    for (const concurrency of options.concurrencies ?? [1, 64]) {
      const results: Record<string, { rps: number; samples: number[] }> = {}
      for (const [name, one] of Object.entries(send)) {
        await measure(one, concurrency, 0.5)
        results[name] = await measure(one, concurrency, seconds)
      }
      const { direct, client, proxy } = results as Record<keyof typeof send, { rps: number; samples: number[] }>
      const note = `concurrency ${concurrency}, ${seconds} s each, ~1 KiB JSON, keep-alive`
      rows.push(
        { name: `direct c=${concurrency} (baseline)`, value: direct.rps, unit: 'req/s', note },
        { name: `direct c=${concurrency} p50`, value: percentile(direct.samples, 50), unit: 'ms' },
        { name: `direct c=${concurrency} p99`, value: percentile(direct.samples, 99), unit: 'ms' },
        { name: `proxy c=${concurrency}`, value: proxy.rps, unit: 'req/s', note: 'GET …/connections/:id/proxy/items over a real socket' },
        { name: `proxy c=${concurrency} p50`, value: percentile(proxy.samples, 50), unit: 'ms' },
        { name: `proxy c=${concurrency} p99`, value: percentile(proxy.samples, 99), unit: 'ms' },
        { name: `proxy / direct c=${concurrency} (req/s)`, value: proxy.rps / direct.rps, unit: 'ratio' },
        {
          name: `outbound client alone c=${concurrency}`,
          value: client.rps,
          unit: 'req/s',
          note: "the runtime's HTTP client straight to the upstream, no API in front",
        },
        { name: `outbound client alone c=${concurrency} p50`, value: percentile(client.samples, 50), unit: 'ms' },
      )
    }
    return rows
  } finally {
    if (server) {
      const s = server as ServerType & { closeAllConnections?: () => void }
      s.closeAllConnections?.()
      await new Promise<void>((done) => s.close(() => done()))
    }
    await agent.close()
    await rt.close()
    upstream.closeAllConnections()
    upstream.close()
  }
}

/** One request with undici's own `request`; every answer must be a 200. */
function sender(agent: Agent, target: { url: string; headers: Record<string, string> }) {
  return async () => {
    const res = await request(target.url, { dispatcher: agent, headers: target.headers })
    await res.body.text()
    if (res.statusCode !== 200) throw new Error(`bench request answered ${res.statusCode}`)
  }
}

/** `concurrency` callers sending one request after another for `seconds`. */
async function measure(send: () => Promise<void>, concurrency: number, seconds: number) {
  const samples: number[] = []
  const started = performance.now()
  const until = started + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now()
        await send()
        samples.push(performance.now() - t)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  return { rps: samples.length / elapsed, samples: samples.sort((a, b) => a - b) }
}

if (isMain(import.meta.url)) printTable('Proxy vs direct', await benchProxy())
