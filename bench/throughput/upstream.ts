// A loopback API for the throughput benchmarks, in a process of its own: a ~1 KiB JSON list for GET, the echoed
// JSON body for POST (a small answer, as most writes get), `/me` for connection tests. It answers only requests
// that carry one of the credentials the benchmark connections send. Prints `port <n>` once listening.
import { createServer } from 'node:http'

const PAYLOAD = JSON.stringify({
  items: Array.from({ length: 12 }, (_, i) => ({ id: `item_${i}`, name: `Item number ${i}`, done: i % 2 === 0 })),
})
const ACCEPTED = new Set(['Bearer bench-token', 'Bearer bench-oauth-token'])

const server = createServer((req, res) => {
  const ok = ACCEPTED.has(req.headers.authorization ?? '') || req.headers['x-api-key'] === 'bench-key-000000'
  if (!ok) {
    res.writeHead(401, { 'content-type': 'application/json', 'content-length': '2' })
    res.end('{}')
    req.resume()
    return
  }
  if (req.method === 'POST') {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': String(body.length) })
      res.end(body)
    })
    return
  }
  const body = req.url?.startsWith('/me') ? '{"login":"bench"}' : PAYLOAD
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as { port: number }).port}`))
