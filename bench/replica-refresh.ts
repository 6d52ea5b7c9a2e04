import { availableParallelism, loadavg } from 'node:os'
import pg from 'pg'
import { type Provider, startProvider } from '../tests/oauth2/provider.ts'
import { authorizeAcross, oauthConnection, oauthOutcome } from '../tests/replicas/oauth.ts'
import { type Replicas, startReplicas } from '../tests/replicas/replicas.ts'
import { findBinDir, INSTALL_HINT, startCluster } from '../tests/support/postgres-cluster.ts'
import { isMain, percentile, printTable, type Row } from './table.ts'

/** The runtime renews a token this long before it expires (the token engine's default margin). */
const MARGIN_S = 60
/** Lifetime of the tokens the provider issues: due for renewal 2 s after they arrive, fresh until then. */
const TTL_S = MARGIN_S + 2

export interface ReplicaRefreshOptions {
  /** Refresh bursts measured, each followed by a fresh-token burst (default 40). */
  trials?: number
  /** Calls per replica in each burst, all at once (default 1: three calls, one on each replica). */
  perReplica?: number
}

/**
 * What the one refresh adds to calls spread over three replicas on one PostgreSQL database (a throwaway cluster
 * with real fsync; each replica `switchboard serve` in its own process). Each trial sends a burst of proxied
 * calls, `perReplica` to each replica at once, when the stored token is due for renewal: one replica renews it
 * under the database lock, the others wait for the lock and read what it stored. Right after, the same burst
 * with the fresh token is the baseline, so drift falls on both alike. The added latency is set against its
 * budget, measured between the bursts: the provider's token request as seen from here, plus one bare durable
 * commit (an INSERT) on the same database.
 *
 * @example
 * printTable('Refresh across replicas', await benchReplicaRefresh())
 */
export async function benchReplicaRefresh(options: ReplicaRefreshOptions = {}): Promise<Row[]> {
  try {
    findBinDir()
  } catch {
    return [{ name: 'not run', value: Number.NaN, unit: '', note: INSTALL_HINT }]
  }
  const trials = options.trials ?? 40
  const perReplica = options.perReplica ?? 1
  const cluster = await startCluster({ durable: true })
  let provider: Provider | undefined
  let replicas: Replicas | undefined
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') })
    await admin.connect()
    await admin.query('CREATE DATABASE replicas')
    await admin.end()
    const url = cluster.url('replicas')
    provider = await startProvider({ now: () => Date.now(), accessTtl: TTL_S, rotate: true })
    replicas = await startReplicas({ databaseUrl: url })
    const [a, b] = replicas.all
    const id = await oauthConnection(replicas, a!, 'bench-replicas', provider)
    const connected = await authorizeAcross(replicas, id, a!, b!)
    if (oauthOutcome(connected.final).oauth !== 'success') throw new Error(`the flow did not connect: ${connected.final}`)
    let arrived = performance.now()
    const burst = burster(replicas, id, perReplica)
    /** A burst, and how many refreshes the provider saw during it (noting when the last token arrived). */
    const run = async () => {
      const before = provider!.refreshes()
      const measured = await burst()
      const refreshes = provider!.refreshes() - before
      if (refreshes > 0) arrived = performance.now()
      return { measured, refreshes }
    }
    const budget = await budgetMeter(provider, url)
    for (let i = 0; i < 20; i++) await run()
    const fresh: Burst[] = []
    const renewing: Burst[] = []
    const tokenTimes: number[] = []
    const commitTimes: number[] = []
    for (let trial = 0; trial < trials; trial++) {
      // The token that arrived last is due once it is within the margin of its expiry; wait until then.
      const due = arrived + (TTL_S - MARGIN_S) * 1000 + 200
      if (performance.now() < due) await new Promise((done) => setTimeout(done, due - performance.now()))
      const onDue = await run()
      const after = await run()
      if (onDue.refreshes !== 1 || after.refreshes !== 0 || provider.reuseEvents > 0)
        throw new Error(`trial ${trial}: ${onDue.refreshes} refreshes in the burst on a due token, ${after.refreshes} in the next`)
      renewing.push(onDue.measured)
      fresh.push(after.measured)
      // The budget's parts in the same moments as the bursts, so a busy machine weighs on both alike.
      for (let i = 0; i < 5; i++) tokenTimes.push(await budget.token())
      for (let i = 0; i < 5; i++) commitTimes.push(await budget.commit())
    }
    await budget.close()
    return rows({
      fresh,
      renewing,
      tokenRtt: p50(tokenTimes),
      commit: p50(commitTimes),
      trials,
      perReplica,
      refreshes: provider.refreshes(),
      reuse: provider.reuseEvents,
    })
  } finally {
    await replicas?.stop()
    await provider?.close()
    await cluster.destroy()
  }
}

/** The median of some latencies. */
function p50(values: readonly number[]): number {
  return percentile(
    [...values].sort((x, y) => x - y),
    50,
  )
}

/** One burst's call latencies (ms), and its slowest call. */
interface Burst {
  calls: number[]
  slowest: number
}

/** A burst: `perReplica` proxied calls to each replica, all at once; every answer must be a 200. */
function burster(replicas: Replicas, id: string, perReplica: number): () => Promise<Burst> {
  const path = `/api/apps/default/connections/${id}/proxy/api/items`
  const targets = replicas.all.flatMap((replica) => Array.from({ length: perReplica }, () => replica))
  return async () => {
    const calls = await Promise.all(
      targets.map(async (replica) => {
        const started = performance.now()
        const answer = await replicas.call(replica, 'GET', path)
        if (answer.status !== 200) throw new Error(`replica ${replica.name} answered ${answer.status}: ${answer.text}`)
        return performance.now() - started
      }),
    )
    return { calls, slowest: Math.max(...calls) }
  }
}

/**
 * Times the two parts of the budget, one sample per call (ms): a token request to the provider from this
 * process, one at a time as a replica sends its refresh; and one durable commit on the database, a single-row
 * INSERT on its own with fsync on.
 */
async function budgetMeter(provider: Provider, url: string) {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: provider.options.clientId!,
    client_secret: provider.options.clientSecret!,
  }).toString()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query('CREATE TABLE bench_commit (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())')
  const time = async (op: () => Promise<void>) => {
    const started = performance.now()
    await op()
    return performance.now() - started
  }
  const meter = {
    token: () =>
      time(async () => {
        const res = await fetch(`${provider.origin}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
        })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`token request answered ${res.status}`)
      }),
    commit: () => time(async () => void (await client.query('INSERT INTO bench_commit DEFAULT VALUES'))),
    close: () => client.end(),
  }
  // Warm both paths (connections, plans) before anything is kept.
  for (let i = 0; i < 20; i++) await meter.token()
  for (let i = 0; i < 20; i++) await meter.commit()
  return meter
}

function rows(m: {
  fresh: Burst[]
  renewing: Burst[]
  tokenRtt: number
  commit: number
  trials: number
  perReplica: number
  refreshes: number
  reuse: number
}): Row[] {
  const freshCall = p50(m.fresh.flatMap((b) => b.calls))
  const freshSlowest = p50(m.fresh.map((b) => b.slowest))
  const renewingCall = p50(m.renewing.flatMap((b) => b.calls))
  const renewingSlowest = p50(m.renewing.map((b) => b.slowest))
  const budget = m.tokenRtt + m.commit
  const addedSlowest = renewingSlowest - freshSlowest
  const shape = `${m.trials} bursts of ${3 * m.perReplica} calls, ${m.perReplica} per replica at once`
  return [
    { name: 'fresh token: call p50 (baseline)', value: freshCall, unit: 'ms', note: shape },
    { name: 'fresh token: slowest call of a burst, p50', value: freshSlowest, unit: 'ms' },
    {
      name: 'token due: call p50',
      value: renewingCall,
      unit: 'ms',
      note: `one refresh per burst for all three replicas (${m.refreshes} refreshes in all, ${m.reuse} reuse events)`,
    },
    { name: 'token due: slowest call of a burst, p50', value: renewingSlowest, unit: 'ms' },
    { name: 'added by the refresh, call p50', value: renewingCall - freshCall, unit: 'ms' },
    { name: 'added by the refresh, slowest call p50', value: addedSlowest, unit: 'ms', note: 'the call that waited for the one refresh' },
    { name: 'token request RTT p50', value: m.tokenRtt, unit: 'ms', note: "the loopback provider's token endpoint, from this process" },
    { name: 'bare commit p50', value: m.commit, unit: 'ms', note: 'single-row INSERT, fsync on, same database' },
    { name: 'budget: token RTT + one commit', value: budget, unit: 'ms' },
    { name: 'added (slowest call) / budget', value: addedSlowest / budget, unit: 'ratio', note: 'target ≤ 1' },
    loadRow(),
  ]
}

/** How busy the machine was: every figure above shares it with whatever else runs. */
function loadRow(): Row {
  return { name: 'load average, last minute', value: loadavg()[0]!, unit: '', note: `${availableParallelism()} cores` }
}

if (isMain(import.meta.url)) printTable('Refresh across 3 replicas: added latency vs token RTT + one commit', await benchReplicaRefresh())
