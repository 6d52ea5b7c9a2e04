import type { ServerType } from '@hono/node-server'
import { createRuntime } from './app.ts'
import { openConfiguredStore, type RuntimeConfig } from './config.ts'
import { createRunLog } from './core/actions/index.ts'
import { createCatalogue, loadBuiltIns } from './core/catalogue/index.ts'
import { upgradeConnectionNames } from './core/lifecycle/index.ts'
import { upgradeAuditTrails } from './inbound/audit/index.ts'
import { bootstrapWorkspace } from './inbound/callers/index.ts'
import { type Fetch, listenHttp } from './inbound/routes/listen.ts'
import { createKeyRing, type KeyRing } from './platform/crypto/index.ts'
import { createHttpClient } from './platform/http/index.ts'
import { createLogger, type Logger } from './platform/log/index.ts'
import { createMetrics, type Metrics } from './platform/metrics/index.ts'
import type { Store } from './platform/store/index.ts'

const PROXY_MAX_BYTES = 50 * 1024 * 1024

/** A running runtime. */
export interface RunningServer {
  url: string
  port: number
  /** Printed once, on the first start of a data directory. */
  signInUrl?: string
  close(): Promise<void>
}

/**
 * Starts the runtime: store (one process per data directory), key ring, built-in catalogue, outbound
 * client, HTTP server. On first start, creates the owner and prints the sign-in link.
 *
 * @example
 * const server = await startServer(readConfig(process.env))
 */
export async function startServer(
  config: RuntimeConfig,
  options: {
    /**
     * Where the lines meant for the person who started it go (where it listens, the one-time sign-in link), default
     * stdout. Everything else goes to the logger.
     */
    log?: (line: string) => void
    /** The structured log (default: JSON lines on stderr at `config.logLevel`, readable in a terminal). */
    logger?: Logger
    /** The runtime's metrics (default: a registry of its own). */
    metrics?: Metrics
    env?: Record<string, string | undefined>
    /** Runs once the store and key ring are open, before anything is served (benchmarks fill the store here). */
    prepare?: (parts: { store: Store; keyRing: KeyRing }) => Promise<void>
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => void process.stdout.write(`${line}\n`))
  const logger = options.logger ?? createLogger({ level: config.logLevel })
  const builtIns = await loadBuiltIns(config.connectorsDir)
  const store = await openConfiguredStore(config, (level, message) => logger[level]({ component: 'store' }, message))
  let listening: ServerType | undefined
  try {
    const keyRing = createKeyRing({ dataDir: config.dataDir, env: options.env ?? process.env })
    const http = createHttpClient({ allowedHosts: config.allowedHosts })
    // The proxy streams bodies, so it may pass on more than the 10 MiB the buffered paths read.
    const proxyHttp = createHttpClient({ allowedHosts: config.allowedHosts, maxResponseBytes: PROXY_MAX_BYTES })
    const catalogue = createCatalogue({ builtIns, store })
    const metrics = options.metrics ?? createMetrics()
    // Held here so that stopping writes the runs still buffered: a restart keeps the history whole.
    const runLog = createRunLog({ store })
    await options.prepare?.({ store, keyRing })
    // Listen first: with PORT=0 the public URL (links, redirect URI) needs the port the OS picked.
    let fetch: Fetch = () => new Response('starting', { status: 503 })
    // The Node request and response go along (env): streaming routes read the body from the socket itself.
    const server = await listen((request, env) => fetch(request, env), config)
    listening = server
    const port = (server.address() as { port: number }).port
    const url = `http://localhost:${port}`
    const publicUrl = config.publicUrl.endsWith(':0') ? config.publicUrl.replace(/:0$/, `:${port}`) : config.publicUrl
    const runtime = createRuntime({
      store,
      catalogue,
      keyRing,
      http,
      publicUrl,
      logger,
      metrics,
      metricsToken: config.metricsToken,
      runLog,
      designerDir: config.designerDir,
      proxy: { http: proxyHttp, maxResponseBytes: PROXY_MAX_BYTES },
    })
    fetch = runtime.app.fetch
    await upgradeConnectionNames(store)
    const moved = await upgradeAuditTrails(store)
    if (moved > 0) log(`Moved ${moved} audit entries to one record each.`)
    const { ownerToken } = await bootstrapWorkspace(store, new Date())
    const where = config.databaseUrl ? `PostgreSQL at ${databaseHost(config.databaseUrl)}` : config.dataDir
    logger.info({ url, engine: store.engine, builtIns: builtIns.size }, 'started')
    log(`Switchboard is running on ${url} (data in ${where}, ${builtIns.size} built-in connectors)`)
    const signInUrl = ownerToken ? `${publicUrl}/signin?token=${ownerToken}` : undefined
    if (signInUrl) log(`Sign in: ${signInUrl}\n(Shown once. Keep it private: it signs in as the workspace owner.)`)
    if (config.healthChecks) runtime.health.start()
    runtime.webhooks.start()
    return {
      url,
      port,
      ...(signInUrl ? { signInUrl } : {}),
      async close() {
        await new Promise<void>((done) => server.close(() => done()))
        await runtime.health.stop()
        await runtime.webhooks.stop()
        await runLog.flush().catch((error: Error) => logger.warn({ error: error.name }, 'could not write the last runs'))
        await http.close()
        await proxyHttp.close()
        await store.close()
        await new Promise<void>((done) => logger.flush(() => done()))
      },
    }
  } catch (error) {
    // A start that fails after listening (the database lost, a write refused) must not leave the socket open:
    // it would keep the process running after `serve` has reported the failure.
    if (listening) await new Promise<void>((done) => listening!.close(() => done()))
    await store.close()
    throw error
  }
}

/** Host, port and database of a database URL, for messages: never the user or password. */
function databaseHost(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`
  } catch {
    return 'the configured database'
  }
}

function listen(fetch: Fetch, config: RuntimeConfig): Promise<ServerType> {
  return listenHttp(fetch, { port: config.port, host: config.host }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new Error(`Port ${config.port} is in use. Stop what uses it or set PORT to another port.`) : error
  })
}
