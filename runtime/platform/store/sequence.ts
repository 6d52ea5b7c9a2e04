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

/**
 * Numbers of a named sequence handed out from blocks taken from the store `block` at a time, so a number costs a
 * store write only once per block: increasing within a process, unique across processes (each takes its own
 * blocks), for records written often (run history, audit entries). A block's unused numbers are skipped when the
 * process ends.
 *
 * @example
 * const seq = createSequence(store, 'runs')
 * await seq.next() // 1; then 2, 3, … with no store write until 101
 */
export function createSequence(store: Pick<Store, 'update'>, name: string, block = 100) {
  const id = `sequence:${name}`
  let numbers = { next: 0, end: 0 }
  let refill: Promise<void> | undefined
  return {
    async next(): Promise<number> {
      while (numbers.next >= numbers.end) {
        refill ??= (async () => {
          const taken = await store.update<SequenceRecord>('meta', id, (current) => ({ id, value: (current?.value ?? 0) + block }))
          numbers = { next: taken!.value - block + 1, end: taken!.value + 1 }
        })().finally(() => {
          refill = undefined
        })
        await refill
      }
      return numbers.next++
    },
  }
}
