import { createHash } from 'node:crypto'
import { type CollectionName, type Store, scanAll } from '../../platform/store/index.ts'
import { canonicalJson } from './canonical-json.ts'
import { COLLECTION_NAMES, PAGE_SIZE } from './copy-store.ts'

/**
 * What a store holds, in short: a count and a SHA-256 per collection, and one SHA-256 over all of them.
 *
 * @example
 * const digest: StoreDigest = await digestStore(store) // { collections: { users: { count: 3, sha256: '9f…' }, … }, sha256: '4c…' }
 */
export interface StoreDigest {
  collections: Record<CollectionName, { count: number; sha256: string }>
  /** Over every collection's name and records, in the order `collections.ts` declares them. */
  sha256: string
}

/**
 * Reads every record of `store` in id order and hashes its canonical JSON, one line per record, per
 * collection and over the whole store. Two stores hold the same records exactly when their digests are equal,
 * whichever engine each one is.
 *
 * @example
 * const [a, b] = await Promise.all([digestStore(source), digestStore(target)])
 * if (a.sha256 !== b.sha256) throw new Error('the copy differs')
 */
export async function digestStore(store: Store): Promise<StoreDigest> {
  const whole = createHash('sha256')
  const collections = {} as StoreDigest['collections']
  for (const collection of COLLECTION_NAMES) {
    const hash = createHash('sha256')
    let count = 0
    whole.update(`${collection}\n`)
    for await (const record of scanAll(store, collection, PAGE_SIZE)) {
      const line = `${canonicalJson(record)}\n`
      hash.update(line)
      whole.update(line)
      count++
    }
    collections[collection] = { count, sha256: hash.digest('hex') }
  }
  return { collections, sha256: whole.digest('hex') }
}
