/** Options of {@link createBoundedCache}. */
export interface BoundedCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  maxEntries: number
  /** An entry older than this is not served (ms). */
  maxAgeMs: number
  /** The clock, in ms; injectable for tests. */
  now?: () => number
}

/**
 * A small in-memory cache bounded in size and age, for derived values that cost to compute on every request
 * (opened credentials, maskers). Keys must change whenever what was derived from changes (a record's seal, a
 * definition's version), so a stale entry is never found rather than having to be dropped; the age bound limits
 * how long anything stays in memory at all. Never persisted.
 *
 * @example
 * const cache = createBoundedCache<Masker>({ maxEntries: 1000, maxAgeMs: 60_000 })
 * const masker = cache.get(key) ?? cache.set(key, createMasker(secrets))
 */
export function createBoundedCache<V>(options: BoundedCacheOptions) {
  const now = options.now ?? Date.now
  const entries = new Map<string, { value: V; at: number }>()
  return {
    get(key: string): V | undefined {
      const entry = entries.get(key)
      if (!entry) return undefined
      entries.delete(key)
      if (now() - entry.at > options.maxAgeMs) return undefined
      entries.set(key, entry)
      return entry.value
    },
    set(key: string, value: V): V {
      entries.delete(key)
      entries.set(key, { value, at: now() })
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!)
      return value
    },
    /** Forgets every entry (a key ring change, a store that may have missed changes). */
    clear(): void {
      entries.clear()
    },
    get size(): number {
      return entries.size
    },
  }
}

/** A bounded cache's type. */
export type BoundedCache<V> = ReturnType<typeof createBoundedCache<V>>
