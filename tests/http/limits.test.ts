import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClient } from '../../runtime/platform/http/index.ts'
import { expectFailure, startServer, type TestServer } from './helpers.ts'

const MB = 1024 * 1024
const TEN_MB = 10_000_000

describe('time and size limits', () => {
  let server: TestServer
  let client: HttpClient
  /** Per big-body request: how many bytes the server managed to write and whether it finished. */
  const writes: { written: number; finished: boolean; closed: Promise<void> }[] = []

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/silent') return // accepts, reads the request, never answers
      if (req.url === '/stall-body') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        return res.write('first bytes, then nothing')
      }
      if (req.url === '/declared-huge') {
        res.writeHead(200, { 'content-length': String(TEN_MB) })
        return res.write('x')
      }
      if (req.url === '/huge') return streamHuge(res)
      res.end('ok')
    })
    client = createHttpClient({ allowedHosts: '127.0.0.1', maxResponseBytes: MB, timeoutMs: 5000 })
    await client.request({ url: `${server.origin}/` }) // warm up, so timings measure the timeout alone
  })
  afterAll(async () => {
    await client.close()
    await server.close()
  })

  // 10 MB in 64 KiB chunks, written only as fast as the client reads (back-pressure), chunked encoding.
  function streamHuge(res: import('node:http').ServerResponse) {
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const record = { written: 0, finished: false, closed: new Promise<void>((r) => res.on('close', () => r())) }
    writes.push(record)
    res.writeHead(200, { 'content-type': 'text/plain' })
    const pump = () => {
      while (record.written < TEN_MB) {
        record.written += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      record.finished = true
      res.end()
    }
    res.on('error', () => {})
    pump()
  }

  // Other work shares these cores, so a bare wall-clock bound would measure the machine. A plain timer of
  // the same length, started alongside, fires late by about the same amount, which is subtracted. The timeout
  // must never end early (−10 %); late is bounded loosely, since a busy machine delays the error's delivery too:
  // what is checked is that the request ends because of its timeout, not much later for another reason.
  const SLACK_MS = 3000
  async function timeToFailure(request: Promise<unknown>, timeoutMs: number) {
    const started = performance.now()
    const reference = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now()), timeoutMs))
    const error = await expectFailure(request, 'upstream_timeout')
    const ended = performance.now()
    const lateness = Math.max(0, (await reference) - started - timeoutMs)
    return { error, elapsed: ended - started - lateness }
  }

  it('ends a request whose server never answers at the total timeout (never early)', async () => {
    const { error, elapsed } = await timeToFailure(client.request({ url: `${server.origin}/silent`, timeoutMs: 1000 }), 1000)
    expect(elapsed).toBeGreaterThanOrEqual(900)
    expect(elapsed).toBeLessThanOrEqual(1000 + SLACK_MS)
    expect(error.status).toBe(504)
    expect(error.details).toMatchObject({
      kind: 'timeout',
      phase: 'total',
      timeoutMs: 1000,
      host: `127.0.0.1:${server.port}`,
    })
  })

  it('counts the body in the total timeout', async () => {
    const { elapsed } = await timeToFailure(client.request({ url: `${server.origin}/stall-body`, timeoutMs: 500 }), 500)
    expect(elapsed).toBeGreaterThanOrEqual(450)
    expect(elapsed).toBeLessThanOrEqual(500 + SLACK_MS)
  })

  it('keeps the total timeout on a returned stream', async () => {
    const res = await client.request({ url: `${server.origin}/stall-body`, responseType: 'stream', timeoutMs: 400 })
    const reader = res.body.getReader()
    expect((await reader.read()).done).toBe(false)
    const error = await expectFailure(reader.read(), 'upstream_timeout')
    expect(error.details).toMatchObject({ phase: 'total' })
  })

  it('ends the connect phase (DNS lookup included) at the connect timeout', async () => {
    // No unroutable address can be used here (no outward traffic), so the slow part is an injected lookup
    // that never answers: it runs inside the same connect timer as the TCP and TLS handshakes.
    const slow = createHttpClient({
      allowedHosts: 'slow.test',
      connectTimeoutMs: 300,
      timeoutMs: 5000,
      lookup: () => new Promise(() => {}),
    })
    const started = performance.now()
    const error = await expectFailure(slow.request({ url: 'https://slow.test/' }), 'upstream_timeout')
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(270)
    expect(elapsed).toBeLessThanOrEqual(600)
    expect(error.details).toMatchObject({ kind: 'timeout', phase: 'connect', timeoutMs: 300 })
    expect(error.message).toContain('Could not connect to slow.test')
    await slow.close()
  })

  it('cuts a 10 MB body at the size limit without reading it all', async () => {
    const error = await expectFailure(client.request({ url: `${server.origin}/huge` }), 'response_too_large')
    expect(error.details).toMatchObject({ kind: 'size', limitBytes: MB })
    expect(error.message).toContain('larger than 1 MiB')
    const record = writes.at(-1)!
    await record.closed
    expect(record.finished).toBe(false)
    expect(record.written).toBeLessThan(TEN_MB)
  })

  it('enforces the size limit while a returned stream is read', async () => {
    const res = await client.request({ url: `${server.origin}/huge`, responseType: 'stream' })
    const reader = res.body.getReader()
    let received = 0
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return undefined
        received += value.byteLength
      }
    })().catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'response_too_large' })
    expect(received).toBeLessThanOrEqual(MB)
    const record = writes.at(-1)!
    await record.closed
    expect(record.finished).toBe(false)
  })

  it('refuses a declared Content-Length past the limit before reading', async () => {
    await expectFailure(client.request({ url: `${server.origin}/declared-huge` }), 'response_too_large')
  })
})
