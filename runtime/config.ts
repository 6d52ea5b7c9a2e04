import { resolve } from 'node:path'
import { openStore, type Store, type StoreLog } from './platform/store/index.ts'

/** The runtime's settings, from the environment. */
export interface RuntimeConfig {
  port: number
  host: string
  dataDir: string
  publicUrl: string
  allowedHosts: string
  connectorsDir: string
  designerDir: string
  /** `SWITCHBOARD_DATABASE_URL`: PostgreSQL shared by several replicas instead of the data directory's file. */
  databaseUrl?: string
  /** `SWITCHBOARD_DATABASE_POOL_MAX`, `…_IDLE_TIMEOUT_MS`, `…_CONNECT_TIMEOUT_MS`, `…_STATEMENT_TIMEOUT_MS`. */
  databasePool: { max?: number; idleTimeoutMs?: number; connectTimeoutMs?: number; statementTimeoutMs?: number }
  /** `SWITCHBOARD_HEALTH_CHECKS=off` stops the background re-tests of connections (default on). */
  healthChecks: boolean
  /** `SWITCHBOARD_LOG_LEVEL`: trace, debug, info (default), warn, error, fatal or silent. */
  logLevel: string
  /** `SWITCHBOARD_METRICS_TOKEN`: the bearer token `GET /metrics` asks for; unset, metrics are not served. */
  metricsToken?: string
}

/**
 * Reads the settings from environment variables, with the defaults of `npm start`. Bad values stop
 * the start with a message that names the variable.
 *
 * @example
 * const config = readConfig(process.env) // { port: 8787, dataDir: '/…/data', … }
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>, root = process.cwd()): RuntimeConfig {
  const port = Number(env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0–65535), got "${env.PORT}"`)
  const publicUrl = (env.SWITCHBOARD_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/\s]+$/.test(publicUrl)) {
    throw new Error(
      `SWITCHBOARD_PUBLIC_URL must be an origin such as https://switchboard.example.com (no path), got "${env.SWITCHBOARD_PUBLIC_URL}"`,
    )
  }
  const metricsToken = env.SWITCHBOARD_METRICS_TOKEN?.trim() || undefined
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new Error('SWITCHBOARD_METRICS_TOKEN must be at least 16 characters (a random one: openssl rand -hex 24)')
  }
  const logLevel = env.SWITCHBOARD_LOG_LEVEL?.trim() || 'info'
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) {
    throw new Error(`SWITCHBOARD_LOG_LEVEL must be trace, debug, info, warn, error, fatal or silent, got "${env.SWITCHBOARD_LOG_LEVEL}"`)
  }
  const databaseUrl = env.SWITCHBOARD_DATABASE_URL?.trim() || undefined
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('SWITCHBOARD_DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@db.example.com:5432/switchboard')
  }
  const health = (env.SWITCHBOARD_HEALTH_CHECKS ?? 'on').trim().toLowerCase()
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(health)) {
    throw new Error(`SWITCHBOARD_HEALTH_CHECKS must be "on" or "off", got "${env.SWITCHBOARD_HEALTH_CHECKS}"`)
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(root, env.SWITCHBOARD_DATA_DIR ?? 'data'),
    publicUrl,
    allowedHosts: env.SWITCHBOARD_ALLOWED_HOSTS ?? '',
    connectorsDir: resolve(root, env.SWITCHBOARD_CONNECTORS_DIR ?? 'connectors'),
    designerDir: resolve(root, env.SWITCHBOARD_DESIGNER_DIR ?? 'dist/designer'),
    ...(databaseUrl ? { databaseUrl } : {}),
    logLevel,
    ...(metricsToken ? { metricsToken } : {}),
    databasePool: {
      ...positive(env, 'SWITCHBOARD_DATABASE_POOL_MAX', 'max'),
      ...positive(env, 'SWITCHBOARD_DATABASE_IDLE_TIMEOUT_MS', 'idleTimeoutMs'),
      ...positive(env, 'SWITCHBOARD_DATABASE_CONNECT_TIMEOUT_MS', 'connectTimeoutMs'),
      ...positive(env, 'SWITCHBOARD_DATABASE_STATEMENT_TIMEOUT_MS', 'statementTimeoutMs'),
    },
    healthChecks: ['on', 'true', '1'].includes(health),
  }
}

/** A whole number ≥ 0 from a variable, under `key`; absent when the variable is not set. */
function positive<K extends string>(env: Readonly<Record<string, string | undefined>>, name: string, key: K): Partial<Record<K, number>> {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return {}
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0, got "${raw}"`)
  return { [key]: value } as Partial<Record<K, number>>
}

/**
 * Opens the store the settings name (PostgreSQL with a database URL, else the data directory), for the
 * runtime and for the CLI commands that work on the store.
 *
 * @example
 * const store = await openConfiguredStore(readConfig(process.env))
 */
export function openConfiguredStore(config: RuntimeConfig, log?: StoreLog): Promise<Store> {
  return openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, pool: config.databasePool, ...(log ? { log } : {}) })
}
