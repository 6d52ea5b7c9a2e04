import type { CollectionName, Store, StoreRecord } from './contract.ts'

/**
 * Every record of a collection, read a page at a time in id order: for what is whole by nature (the custom
 * connectors of a catalogue, every app for the workspace owner, key rotation, store migration), never for a
 * lookup an index can answer.
 *
 * @example
 * for await (const record of scanAll(store, 'credentials')) rotate(record)
 */
export async function* scanAll<T extends StoreRecord>(
  store: Pick<Store, 'scan'>,
  collection: CollectionName,
  pageSize = 500,
): AsyncGenerator<T> {
  let after: string | undefined
  for (;;) {
    const page = await store.scan<T>(collection, { limit: pageSize, ...(after === undefined ? {} : { after }) })
    yield* page
    if (page.length < pageSize) return
    after = page.at(-1)!.id
  }
}

/**
 * {@link scanAll} into an array.
 *
 * @example
 * const apps = await readAll<AppRecord>(store, 'apps')
 */
export async function readAll<T extends StoreRecord>(store: Pick<Store, 'scan'>, collection: CollectionName): Promise<T[]> {
  const out: T[] = []
  for await (const record of scanAll<T>(store, collection)) out.push(record)
  return out
}
