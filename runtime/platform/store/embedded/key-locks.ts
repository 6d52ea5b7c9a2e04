/**
 * In-process mutual exclusion by key: holders of one key take turns in the order they asked, holders of
 * different keys run freely, and a key nobody holds costs no entry. A release function may be called more than
 * once; only the first call counts.
 *
 * @example
 * const locks = createKeyLocks()
 * const release = await locks.acquire('connections\u0000c1')
 * try { … } finally { release() }
 */
export interface KeyLocks {
  acquire(key: string): Promise<() => void>
  /** Runs `fn` holding `key`. */
  with<R>(key: string, fn: () => R | Promise<R>): Promise<R>
}

/** Creates an empty {@link KeyLocks}. */
export function createKeyLocks(): KeyLocks {
  // The promise each key's last holder resolves when it lets go; the next one to ask waits for it.
  const tails = new Map<string, Promise<void>>()

  const acquire = (key: string): Promise<() => void> => {
    const previous = tails.get(key)
    let letGo!: () => void
    const mine = new Promise<void>((done) => (letGo = done))
    tails.set(key, mine)
    let released = false
    const release = () => {
      if (released) return
      released = true
      if (tails.get(key) === mine) tails.delete(key)
      letGo()
    }
    return previous === undefined ? Promise.resolve(release) : previous.then(() => release)
  }

  return {
    acquire,
    async with(key, fn) {
      const release = await acquire(key)
      try {
        return await fn()
      } finally {
        release()
      }
    },
  }
}
