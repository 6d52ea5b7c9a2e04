import { readFileSync } from 'node:fs'
import { Agent, request } from 'undici'
import { percentile, printTable, type Row } from './table.ts'
import { startChild } from './throughput/children.ts'

/**
 * The proxy, actions and connection tests against what the platform allows, each in a process of its own on one
 * loopback upstream, in one run: requests straight to the upstream (direct), through a bare Node pass-through
 * (node:http + undici's dispatcher, no auth, no store: the best a proxy on this stack can do), and through the
 * runtime (a real socket: caller authentication, access, the connection and its sealed credentials, auth
 * injection, the SSRF-checked client, masking, the run log), with 100 and 10,000 connections stored, for a
 * bearer and an OAuth2 connection (fresh token). Concurrency 1 and 64.
 *
 * @example
 * printTable('Proxy', await benchProxy())
 */
export async function benchProxy(options: { seconds?: number; sizes?: number[] } = {}): Promise<Row[]> {
  // BENCH_SECONDS and BENCH_SIZES (comma-separated) narrow a run while working on one figure.
  const seconds = options.seconds ?? (Number(process.env.BENCH_SECONDS) || 3)
  const sizes = options.sizes ?? (process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [100, 10_000])
  const upstream = await startChild('upstream.ts')
  const origin = `http://127.0.0.1:${upstream.line.split(' ')[1]}`
  const bare = await startChild('pass-through.ts', [origin])
  const bareOrigin = `http://127.0.0.1:${bare.line.split(' ')[1]}`
  const agent = new Agent({ connections: 128, keepAliveTimeout: 60_000 })
  const rows: Row[] = []
  try {
    const get = (url: string, headers: Record<string, string>) => async () => {
      const res = await request(url, { dispatcher: agent, headers })
      await res.body.text()
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
    }
    const bearer = { authorization: 'Bearer bench-token' }
    const direct = {
      c1: await measure(get(`${origin}/items?page=1`, bearer), 1, seconds),
      c64: await measure(get(`${origin}/items?page=1`, bearer), 64, seconds),
    }
    const pass = {
      c1: await measure(get(`${bareOrigin}/items?page=1`, bearer), 1, seconds),
      c64: await measure(get(`${bareOrigin}/items?page=1`, bearer), 64, seconds, bare.pid),
    }
    rows.push(
      { name: 'direct c=64', value: direct.c64.rps, unit: 'req/s', note: `~1 KiB JSON, keep-alive, ${seconds} s a cell` },
      { name: 'bare pass-through c=64 (baseline)', value: pass.c64.rps, unit: 'req/s', note: 'node:http + undici dispatcher' },
      { name: 'bare pass-through c=1 p50', value: percentile(pass.c1.samples, 50), unit: 'ms' },
      { name: 'bare pass-through c=64 p99', value: percentile(pass.c64.samples, 99), unit: 'ms' },
    )
    const bareFetch = await measure(get(`${origin}/me`, bearer), 1, seconds)
    for (const size of sizes) {
      const runtime = await startChild('runtime.ts', [origin, String(size)])
      try {
        const ids = JSON.parse(runtime.line) as { port: number; token: string; bearer: string; action: string; oauth2: string }
        const base = `http://127.0.0.1:${ids.port}/api/apps/default/connections`
        const auth = { authorization: `Bearer ${ids.token}` }
        const proxy = (id: string) => get(`${base}/${id}/proxy/items?page=1`, auth)
        const action = async () => {
          const res = await request(`${base}/${ids.action}/actions/create`, {
            dispatcher: agent,
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ inputs: { name: 'bench item', done: false } }),
          })
          await res.body.text()
          if (res.statusCode !== 200) throw new Error(`action answered ${res.statusCode}`)
        }
        const test = async () => {
          const res = await request(`${base}/${ids.bearer}/test`, { dispatcher: agent, method: 'POST', headers: auth })
          const body = (await res.body.json()) as { ok: boolean }
          if (!body.ok) throw new Error('bench connection test failed')
        }
        const p1 = await measure(proxy(ids.bearer), 1, seconds)
        const p64 = await measure(proxy(ids.bearer), 64, seconds, runtime.pid)
        const o64 = await measure(proxy(ids.oauth2), 64, seconds)
        const a64 = await measure(action, 64, seconds, runtime.pid)
        const t1 = await measure(test, 1, seconds)
        const at = `${size.toLocaleString('en-US')} stored`
        const vs = (value: number) => `${(value / pass.c64.rps).toFixed(2)}× bare, ${(value / direct.c64.rps).toFixed(2)}× direct`
        rows.push(
          { name: `proxy c=64, ${at}`, value: p64.rps, unit: 'req/s', note: `${vs(p64.rps)} (target ≥ 0.8× bare)` },
          ...cpuRow(`proxy CPU per call, ${at}`, p64.cpuPerCall, pass.c64.cpuPerCall),
          {
            name: `proxy c=1 p50, ${at}`,
            value: percentile(p1.samples, 50),
            unit: 'ms',
            note: `bare + ${(percentile(p1.samples, 50) - percentile(pass.c1.samples, 50)).toFixed(3)} ms (target ≤ + 0.2)`,
          },
          {
            name: `proxy c=64 p99, ${at}`,
            value: percentile(p64.samples, 99),
            unit: 'ms',
            note: `${(percentile(p64.samples, 99) / percentile(pass.c64.samples, 99)).toFixed(2)}× bare p99 (target ≤ 2×)`,
          },
          { name: `proxy OAuth2 c=64, ${at}`, value: o64.rps, unit: 'req/s', note: `${vs(o64.rps)} (fresh token)` },
          { name: `action c=64, ${at}`, value: a64.rps, unit: 'req/s', note: `${vs(a64.rps)} (target ≥ 0.7× bare)` },
          ...cpuRow(`action CPU per call, ${at}`, a64.cpuPerCall, pass.c64.cpuPerCall),
          {
            name: `connection test p50, ${at}`,
            value: percentile(t1.samples, 50),
            unit: 'ms',
            note: plusNote(percentile(bareFetch.samples, 50), percentile(t1.samples, 50)),
          },
        )
      } finally {
        await runtime.stop()
      }
    }
    return rows
  } finally {
    await agent.close()
    await bare.stop()
    await upstream.stop()
  }
}

/** `concurrency` callers sending one request after another for `seconds`, after a short warm-up. */
async function measure(send: () => Promise<void>, concurrency: number, seconds: number, pid?: number) {
  const run = async (duration: number) => {
    const samples: number[] = []
    const cpuBefore = pid === undefined ? undefined : cpuMs(pid)
    const started = performance.now()
    const until = started + duration * 1000
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const t = performance.now()
          await send()
          samples.push(performance.now() - t)
        }
      }),
    )
    const cpuAfter = pid === undefined ? undefined : cpuMs(pid)
    const cpuPerCall = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / samples.length
    return { rps: samples.length / ((performance.now() - started) / 1000), samples: samples.sort((a, b) => a - b), cpuPerCall }
  }
  await run(0.5)
  return run(seconds)
}

if (process.argv[2]?.endsWith('bench/proxy.ts')) {
  const sizes = process.env.BENCH_SIZES?.split(',').map(Number)
  printTable('Proxy, actions and connection tests', await benchProxy(sizes ? { sizes } : {}))
}

/**
 * A process's CPU time so far (user + system, ms) from /proc, or undefined where there is none: per call, it is
 * the figure that holds when the machine is busy with other work, unlike requests per second.
 */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return undefined
  }
}

function cpuRow(name: string, value: number | undefined, bare: number | undefined): Row[] {
  if (value === undefined || bare === undefined) return []
  return [{ name, value, unit: 'ms', note: `bare pass-through ${bare.toFixed(3)} ms: ${(bare / value).toFixed(2)}× its cost (c=64)` }]
}

/** The connection test's p50 beside the bare fetch's, as the target reads (≤ bare + 2 ms). */
function plusNote(bare: number, test: number): string {
  return `bare fetch p50 ${bare.toFixed(3)} ms + ${(test - bare).toFixed(3)} (target ≤ + 2)`
}
