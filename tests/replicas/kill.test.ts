/**
 * kill -9 of one replica during 1,000 writes spread over three on one database: every write a replica
 * acknowledged is there afterwards (read through a survivor), nothing is half written (a connection created
 * with its key has its credential, whether or not its answer arrived), and the two survivors answer every
 * write sent to them, during the kill and after it. PostgreSQL itself keeps running: what is proved is that a
 * replica acknowledges only what is committed, and that losing one replica costs only its own open requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresStore, type Store } from '../../runtime/platform/store/index.ts'
import type { ConnectionRecord } from '../../runtime/types.ts'
import { freshDatabase } from '../support/postgres.ts'
import { type Replica, type Replicas, startReplicas } from './replicas.ts'

const WRITES = 1000
/** Writes in flight at once, over the three replicas. */
const CONCURRENCY = 30
/** The victim dies once this many writes have been acknowledged: part-way, with writes to it in flight. */
const KILL_AFTER = 300

let replicas: Replicas
let store: Store
const figures: string[] = []

beforeAll(async () => {
  const databaseUrl = await freshDatabase()
  replicas = await startReplicas({ databaseUrl })
  store = await createPostgresStore({ url: databaseUrl, log: () => {} })
})

afterAll(async () => {
  const crashed = replicas?.crashed() ?? []
  await replicas?.stop()
  await store?.close()
  console.info(`[replica kill figures] ${figures.join('; ')}`)
  // Each replica must have run until stopped here: one that ended by itself failed, whatever the calls answered.
  expect(crashed).toEqual([])
})

interface Write {
  index: number
  via: Replica
  /** Whether the victim was already dead when this write was sent. */
  afterKill: boolean
  /** The created connection's id, when the replica answered 201. */
  acknowledged?: string
  failure?: string
}

describe('kill -9 of one replica during 1,000 writes', () => {
  it('every acknowledged write is there, nothing is half written, and the other two answer every write sent to them', async () => {
    const [a, victim, c] = replicas.all as [Replica, Replica, Replica]
    const writes: Write[] = []
    let acknowledged = 0
    let killed: Promise<void> | undefined
    let next = 0
    const worker = async () => {
      while (next < WRITES) {
        const index = next++
        const write: Write = { index, via: replicas.all[index % 3]!, afterKill: killed !== undefined }
        writes.push(write)
        try {
          const made = await replicas.call(write.via, 'POST', '/api/apps/default/connections', {
            body: {
              connectorId: 'generic-api-key',
              name: `write ${index}`,
              authMethod: 'header',
              values: { baseUrl: 'https://api.example.com', testUrl: 'https://api.example.com/me', apiKey: `replica-write-key-${index}` },
            },
          })
          if (made.status === 201) write.acknowledged = made.body.id as string
          else write.failure = `${made.status} ${made.text}`
        } catch (error) {
          write.failure = String((error as Error).cause ?? error)
        }
        if (write.acknowledged && ++acknowledged === KILL_AFTER) killed = victim.kill()
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    await killed
    expect(victim.alive()).toBe(false)

    const toSurvivors = writes.filter((w) => w.via !== victim)
    expect(toSurvivors.filter((w) => !w.acknowledged).map((w) => `${w.via.name} #${w.index}: ${w.failure}`)).toEqual([])
    expect(toSurvivors.filter((w) => w.afterKill).length).toBeGreaterThan(0)

    const acked = writes.filter((w) => w.acknowledged)
    const ackedByVictim = acked.filter((w) => w.via === victim)
    expect(ackedByVictim.length).toBeGreaterThan(0)
    for (const survivor of [a, c]) {
      const list = await replicas.call(survivor, 'GET', '/api/apps/default/connections')
      expect(list.status, list.text).toBe(200)
      const found = new Map((list.body.connections as Array<{ id: string; status: string }>).map((x) => [x.id, x.status]))
      // Each with its credentials: untested (or checked by then), never without them.
      const withCredentials = new Set(['untested', 'connected', 'error'])
      expect(
        acked.filter((w) => !withCredentials.has(found.get(w.acknowledged!) ?? 'missing')).map((w) => `#${w.index} via ${w.via.name}`),
      ).toEqual([])
    }

    // Unanswered writes to the victim either committed whole or left nothing: each connection has its credential.
    const stored = await store.find<ConnectionRecord>('connections', 'byApp', { equals: ['default'] })
    const halves: string[] = []
    for (const record of stored) if (!(await store.get('credentials', record.id))) halves.push(record.name)
    expect(halves).toEqual([])
    const lost = writes.filter((w) => !w.acknowledged)
    const committedUnanswered = stored.length - acked.length
    figures.push(
      `${WRITES} writes, replica ${victim.name} killed after ${KILL_AFTER} acknowledgements: ${acked.length} acknowledged ` +
        `(${ackedByVictim.length} by the killed replica) and all ${acked.length} found through A and C; ${lost.length} unanswered, ` +
        `${committedUnanswered} of them committed whole, none half written`,
    )
  }, 300_000)
})
