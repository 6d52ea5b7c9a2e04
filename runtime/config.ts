import { resolve } from 'node:path'

/** The runtime's settings, from the environment. */
export interface RuntimeConfig {
  port: number
  host: string
  dataDir: string
  publicUrl: string
  allowedHosts: string
  connectorsDir: string
  designerDir: string
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
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(root, env.SWITCHBOARD_DATA_DIR ?? 'data'),
    publicUrl,
    allowedHosts: env.SWITCHBOARD_ALLOWED_HOSTS ?? '',
    connectorsDir: resolve(root, env.SWITCHBOARD_CONNECTORS_DIR ?? 'connectors'),
    designerDir: resolve(root, env.SWITCHBOARD_DESIGNER_DIR ?? 'dist/designer'),
  }
}
