import { COLLECTIONS, type CollectionName, type Store, type StoreRecord } from '../../platform/store/index.ts'

/**
 * Records per read and per target transaction: one commit per page, not per record.
 *
 * @example
 * await store.scan('audit', { limit: PAGE_SIZE })
 */
export const PAGE_SIZE = 500

/** Page transactions in flight at once (PostgreSQL's pool has 10 connections by default). */
const WRITERS = 4

/**
 * Every collection, in the order `collections.ts` declares them (the order a migration copies and reports).
 *
 * @example
 * COLLECTION_NAMES[0] // 'connectors'
 */
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[]

/**
 * How many records each collection holds.
 *
 * @example
 * const counts: CollectionCounts = await countRecords(store) // { connectors: 2, connections: 12, … }
 */
export type CollectionCounts = Record<CollectionName, number>

/**
 * How far the copy of one collection is.
 *
 * @example
 * const progress: CopyProgress = { collection: 'audit', done: 500, total: 1200, finished: false }
 */
export interface CopyProgress {
  collection: CollectionName
  /** Records copied so far. */
  done: number
  /** Records the collection held when the migration counted them. */
  total: number
  /** The collection is copied whole. */
  finished: boolean
}

/** Up to a page of records with ids after `after`, in id order. */
async function pageOf(store: Store, collection: CollectionName, after: string | undefined): Promise<StoreRecord[]> {
  return store.scan<StoreRecord>(collection, { limit: PAGE_SIZE, ...(after === undefined ? {} : { after }) })
}

/**
 * How many records each collection of `store` holds, read a page at a time (the contract counts by index
 * only, and not every collection has one).
 *
 * @example
 * const counts = await countRecords(store) // { connectors: 0, connections: 12, … }
 */
export async function countRecords(store: Store): Promise<CollectionCounts> {
  const counts = {} as CollectionCounts
  for (const collection of COLLECTION_NAMES) {
    let count = 0
    for (let page = await pageOf(store, collection, undefined); page.length > 0; ) {
      count += page.length
      page = page.length < PAGE_SIZE ? [] : await pageOf(store, collection, page.at(-1)!.id)
    }
    counts[collection] = count
  }
  return counts
}

/**
 * Deletes every record of every collection, a page per transaction: what `--force` does to a target before
 * the copy, so the target ends up holding what the source holds and nothing else.
 *
 * @example
 * const deleted = await clearStore(target)
 */
export async function clearStore(store: Store): Promise<number> {
  let deleted = 0
  for (const collection of COLLECTION_NAMES) {
    for (let page = await pageOf(store, collection, undefined); page.length > 0; page = await pageOf(store, collection, undefined)) {
      await store.transaction(async (tx) => {
        for (const record of page) await tx.delete(collection, record.id)
      })
      deleted += page.length
    }
  }
  return deleted
}

/**
 * Copies every record of every collection from `from` into `to` as it is (sealed credentials stay sealed:
 * nothing is decrypted), reading a page at a time in id order and inserting each page in one transaction,
 * a few pages at once. `to` must be empty: an insert that finds a record already there fails with 409
 * `conflict` rather than overwriting it.
 *
 * @example
 * await copyStore(source, target, { totals: await countRecords(source), onProgress: (p) => console.error(p) })
 */
export async function copyStore(
  from: Store,
  to: Store,
  options: { totals: CollectionCounts; onProgress?: (progress: CopyProgress) => void },
): Promise<number> {
  let copied = 0
  for (const collection of COLLECTION_NAMES) {
    const total = options.totals[collection]
    let done = 0
    const writing: Promise<void>[] = []
    for (let after: string | undefined, more = true; more; ) {
      const page = await pageOf(from, collection, after)
      more = page.length === PAGE_SIZE
      after = page.at(-1)?.id
      if (page.length === 0) break
      // PostgreSQL answers each insert in a round trip: pages in flight together keep several connections busy.
      const write = to
        .transaction(async (tx) => {
          for (const record of page) await tx.insert(collection, record)
        })
        .then(() => {
          done += page.length
          options.onProgress?.({ collection, done, total: Math.max(total, done), finished: false })
        })
      // Awaited below; this only keeps a failure from counting as unhandled while an earlier page is awaited.
      write.catch(() => {})
      writing.push(write)
      if (writing.length >= WRITERS) await writing.shift()
    }
    await Promise.all(writing)
    options.onProgress?.({ collection, done, total: Math.max(total, done), finished: true })
    copied += done
  }
  return copied
}
