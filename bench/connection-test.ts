import { createServer, type Server } from 'node:http'
import { benchRuntime } from './runtime.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/**
 * A connection test through the runtime (decrypt, render, inject auth, SSRF-checked client, success
 * rules, record the result) against a bare `fetch` to the same loopback upstream, in the same run.
 *
 * @example
 * printTable('connection test', await benchConnectionTest())
 */
export async function benchConnectionTest(iterations = 400): Promise<Row[]> {
  const upstream: Server = createServer((req, res) => {
    const ok = req.headers['x-api-key'] === 'bench-key'
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ login: 'bench' }))
  })
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const port = (upstream.address() as { port: number }).port
  const rt = await benchRuntime()
  try {
    const base = `http://127.0.0.1:${port}`
    const id = await rt.connect('generic-api-key', { baseUrl: base, testUrl: `${base}/me`, apiKey: 'bench-key' })
    const viaRuntime = async () => {
      const res = await rt.app.request(`/api/apps/default/connections/${id}/test`, { method: 'POST', headers: rt.auth })
      const body = (await res.json()) as { ok: boolean }
      if (!body.ok) throw new Error('bench connection test failed')
    }
    const bare = async () => {
      const res = await fetch(`${base}/me`, { headers: { 'X-Api-Key': 'bench-key' } })
      await res.json()
    }
    const time = async (fn: () => Promise<void>) => {
      for (let i = 0; i < 30; i++) await fn()
      const samples: number[] = []
      for (let i = 0; i < iterations; i++) {
        const t = performance.now()
        await fn()
        samples.push(performance.now() - t)
      }
      return samples.sort((a, b) => a - b)
    }
    const b = await time(bare)
    const r = await time(viaRuntime)
    return [
      {
        name: 'bare fetch p50 (baseline)',
        value: percentile(b, 50),
        unit: 'ms',
        note: `${iterations} sequential requests to a loopback upstream`,
      },
      { name: 'bare fetch p99', value: percentile(b, 99), unit: 'ms' },
      { name: 'connection test p50', value: percentile(r, 50), unit: 'ms', note: 'POST …/test in-process, result recorded in the store' },
      { name: 'connection test p99', value: percentile(r, 99), unit: 'ms' },
      { name: 'connection test / bare fetch (p50)', value: percentile(r, 50) / percentile(b, 50), unit: 'ratio' },
    ]
  } finally {
    await rt.close()
    upstream.close()
  }
}

if (isMain(import.meta.url)) printTable('Connection test vs bare fetch', await benchConnectionTest())
