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
 * Numbers of a named sequence handed out from blocks taken from the store, so a number costs a store write only
 * once per block: increasing within a process, unique across processes (each takes its own blocks), for records
 * written often (run history, audit entries). A block used up within a second makes the next one twice as big
 * (up to 64 times `block`): a busy proxy numbers thousands of runs a second. A block's unused numbers are skipped
 * when the process ends.
 *
 * Taking a block is a relaxed write: both engines make writes durable in the order they were made (one file
 * written whole; one write-ahead log), so any record durably written with a number is durable with its block, and
 * a block lost in a crash only had numbers nobody durably used.
 *
 * @example
 * const seq = createSequence(store, 'runs')
 * await seq.next() // 1; then 2, 3, … with no store write until 101
 */
export function createSequence(store: Pick<Store, 'update'>, name: string, block = 100, now: () => number = Date.now) {
  const id = `sequence:${name}`
  let numbers = { next: 0, end: 0 }
  let size = block
  let takenAt = Number.NEGATIVE_INFINITY
  let refill: Promise<void> | undefined
  return {
    async next(): Promise<number> {
      while (numbers.next >= numbers.end) {
        refill ??= (async () => {
          size = now() - takenAt < 1000 ? Math.min(size * 2, block * 64) : block
          const want = size
          const taken = await store.update<SequenceRecord>('meta', id, (current) => ({ id, value: (current?.value ?? 0) + want }), {
            durability: 'relaxed',
          })
          takenAt = now()
          numbers = { next: taken!.value - want + 1, end: taken!.value + 1 }
        })().finally(() => {
          refill = undefined
        })
        await refill
      }
      return numbers.next++
    },
  }
}
