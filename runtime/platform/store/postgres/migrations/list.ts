import { initial } from './0001-initial.ts'
import { connectorsKeepKeyOrder } from './0002-connectors-keep-key-order.ts'
import { bindings } from './0003-bindings.ts'
import { healthChecksAndWebhooks } from './0004-health-checks-and-webhooks.ts'
import { runsByTime } from './0005-runs-by-time.ts'
import type { Migration } from './migration.ts'

/**
 * Every migration, oldest first.
 *
 * @example
 * MIGRATIONS.at(-1)!.version // the schema version this code writes
 */
export const MIGRATIONS: readonly Migration[] = [initial, connectorsKeepKeyOrder, bindings, healthChecksAndWebhooks, runsByTime]
