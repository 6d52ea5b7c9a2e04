// The best a proxy on this stack can do, for the benchmarks' baseline: node:http in front, undici's dispatcher
// behind, bodies streamed both ways, no authentication, no store, no masking. Forwards every request to the
// origin in argv. Prints `port <n>` once listening.
import { createServer } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { Agent } from 'undici'

const origin = process.argv[3]!
const agent = new Agent({ connections: 256, keepAliveTimeout: 60_000, pipelining: 1 })
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'te', 'trailer', 'proxy-connection'])

const server = createServer((req, res) => {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP.has(name)) headers[name] = value
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  agent
    .request({ origin, path: req.url ?? '/', method: req.method as 'GET', headers, body: hasBody ? req : null })
    .then(async (upstream) => {
      const out: Record<string, string | string[]> = {}
      for (const [name, value] of Object.entries(upstream.headers)) if (value !== undefined && !HOP.has(name)) out[name] = value
      res.writeHead(upstream.statusCode, out)
      await pipeline(upstream.body, res)
    })
    .catch(() => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as { port: number }).port}`))
