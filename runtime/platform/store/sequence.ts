import type { Store, StoreTx } from './contract.ts'

interface SequenceRecord {
  [k: string]: unknown
  id: string
  value: number
}

/**
 * The next number of a named sequence, increasing across every process that uses the store: a read-modify-write
 * of one `meta` record, which the store serialises (inside a transaction, the transaction holds the record).
 *
 * @example
 * const seq = await nextSequence(store, 'audit') // 1, 2, 3, …
 */
export async function nextSequence(store: Pick<Store, 'update'> | Pick<StoreTx, 'get' | 'put'>, name: string): Promise<number> {
  const id = `sequence:${name}`
  if ('update' in store) {
    const next = await store.update<SequenceRecord>('meta', id, (current) => ({ id, value: (current?.value ?? 0) + 1 }))
    return next!.value
  }
  const value = ((await store.get<SequenceRecord>('meta', id))?.value ?? 0) + 1
  await store.put<SequenceRecord>('meta', { id, value })
  return value
}
