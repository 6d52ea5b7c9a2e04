/**
 * In-process serialisation. Record operations on the same key run one after another (so a read-modify-write
 * with an async updater cannot lose a concurrent one), operations on different keys run freely, and a
 * transaction runs alone: it waits for the record operations that arrived before it, and those arriving
 * after it wait for it. The durable write is not part of the locked section; callers await it afterwards, so
 * many operations can share one write.
 *
 * @example
 * const locks = createLockTable()
 * await locks.record('connections\u0000c1', async () => { … })
 * await locks.exclusive(() => { … }) // runs alone
 */
export interface LockTable {
  record<R>(key: string, fn: () => R | Promise<R>): Promise<R>
  exclusive<R>(fn: () => R | Promise<R>): Promise<R>
}

/** Creates an empty {@link LockTable}; see there for the rules. */
export function createLockTable(): LockTable {
  const tails = new Map<string, Promise<unknown>>()
  const running = new Set<Promise<unknown>>()
  let exclusiveTail: Promise<unknown> = Promise.resolve()

  return {
    record(key, fn) {
      const previous = tails.get(key)
      const gate = exclusiveTail
      const result = (previous ? Promise.all([previous, gate]) : gate).then(fn)
      const done = result.then(settled, settled)
      tails.set(key, done)
      running.add(done)
      void done.then(() => {
        running.delete(done)
        if (tails.get(key) === done) tails.delete(key)
      })
      return result
    },
    exclusive(fn) {
      const before = [exclusiveTail, ...running]
      const result = Promise.all(before).then(fn)
      exclusiveTail = result.then(settled, settled)
      return result
    },
  }
}

function settled(): void {}
