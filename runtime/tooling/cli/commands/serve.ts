import { readConfig } from '../../../config.ts'
import { startServer } from '../../../server.ts'
import type { Io } from '../io.ts'

export const usage = `switchboard serve

Starts the runtime on http://localhost:8787 with the designer at / and the API under /api.
Environment: PORT, HOST (127.0.0.1), SWITCHBOARD_DATA_DIR (./data), SWITCHBOARD_PUBLIC_URL,
SWITCHBOARD_MASTER_KEY, SWITCHBOARD_ALLOWED_HOSTS, SWITCHBOARD_CONNECTORS_DIR.
SWITCHBOARD_DATABASE_URL=postgres://… keeps the data in PostgreSQL instead (several replicas may share it), with
SWITCHBOARD_DATABASE_POOL_MAX, …_IDLE_TIMEOUT_MS, …_CONNECT_TIMEOUT_MS, …_STATEMENT_TIMEOUT_MS for the pool.`

/**
 * `switchboard serve`: runs until SIGINT/SIGTERM, then closes the store cleanly.
 *
 * @example
 * await serveCommand([], io)
 */
export async function serveCommand(_args: string[], io: Io): Promise<number> {
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer(readConfig(process.env), { log: io.out })
  } catch (error) {
    return io.fail((error as Error).message)
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  io.out('Stopping…')
  await server.close()
  return 0
}
