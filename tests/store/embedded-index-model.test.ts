// The in-memory indexes against the plainest possible model: every record filtered, sorted and cut by hand.
// Sizes go past the sorted list's chunk size (512, split at 1,024), so splits and merges are exercised.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import type { IndexQuery, IndexValue, Store, StoreRecord } from '../../runtime/platform/store/contract.ts'
import { compareKeys, encodeValues, idOf, type KeyPart, MISSING } from '../../runtime/platform/store/embedded/index-keys.ts'
import { SortedList } from '../../runtime/platform/store/embedded/sorted-list.ts'
import { createEmbeddedStore } from '../../runtime/platform/store/index.ts'
import { useTempDirs } from './helpers.ts'

const tempDir = useTempDirs()
const NONE = Symbol('none')
type Part = IndexValue | typeof NONE

/** audit.byConnection: appId, connectionId, seq. Absent and null values are both "none". */
const auditRecord = fc.record({
  id: fc.integer({ min: 0, max: 3999 }).map((n) => `r${n}`),
  appId: fc.constantFrom('a', 'b', undefined, null),
  connectionId: fc.constantFrom('c0', 'c1', 'c2', undefined),
  seq: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
})
/** apps.byMember: members[].userId, with duplicates, members lacking a user and empty lists. */
const appRecord = fc.record({
  id: fc.integer({ min: 0, max: 3999 }).map((n) => `r${n}`),
  members: fc.array(fc.oneof(fc.record({ userId: fc.constantFrom('u0', 'u1', 'u2', 'u3') }), fc.constant({ role: 'x' })), { maxLength: 4 }),
})
const bound = (values: fc.Arbitrary<IndexValue>) => fc.record({ gt: values, gte: values, lt: values, lte: values }, { requiredKeys: [] })
const query = (prefixes: fc.Arbitrary<IndexValue[]>, next: fc.Arbitrary<IndexValue>): fc.Arbitrary<IndexQuery> =>
  fc.record(
    {
      equals: prefixes,
      range: bound(next),
      order: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
      limit: fc.integer({ min: 0, max: 60 }),
    },
    { requiredKeys: ['equals'] },
  )
const auditQuery = fc.oneof(
  query(fc.constant([]), fc.constantFrom('a', 'b', 'c')),
  query(fc.constantFrom(['a'], ['b']), fc.constantFrom('c0', 'c1', 'c2', 'c3')),
  query(fc.constantFrom(['a', 'c0'], ['b', 'c2']), fc.integer({ min: -1, max: 41 })),
  fc.record({ equals: fc.constantFrom(['a', 'c1', 7], ['b', 'c0', 0]) }),
)
const appQuery = fc.oneof(
  query(fc.constant([]), fc.constantFrom('u0', 'u1', 'u2', 'u3', 'u4')),
  fc.record({ equals: fc.constantFrom(['u1'], ['u3']) }),
)

function partsAt(record: StoreRecord, field: string): Part[] {
  const scalar = (v: unknown): v is IndexValue => ['string', 'number', 'boolean'].includes(typeof v)
  if (field === 'members[].userId') {
    const members = Array.isArray(record.members) ? (record.members as { userId?: unknown }[]) : []
    const found = [...new Set(members.map((m) => m.userId).filter(scalar))]
    return found.length > 0 ? found : [NONE]
  }
  return [scalar(record[field]) ? (record[field] as IndexValue) : NONE]
}
function comparePart(a: Part, b: Part): number {
  if (a === b) return 0
  if (a === NONE) return 1
  if (b === NONE) return -1
  return a < b ? -1 : 1
}

/** What `find` must answer, worked out from every record. */
function model(records: Iterable<StoreRecord>, fields: string[], q: IndexQuery): string[] {
  const entries: { values: Part[]; id: string }[] = []
  for (const record of records) {
    let combos: Part[][] = [[]]
    for (const field of fields) combos = combos.flatMap((c) => partsAt(record, field).map((p): Part[] => [...c, p]))
    for (const values of combos) entries.push({ values, id: record.id })
  }
  const k = q.equals.length
  const inRange = (v: Part) => {
    const r = q.range ?? {}
    if (Object.values(r).every((b) => b === undefined)) return true
    if (v === NONE) return false
    return (
      (r.gt === undefined || comparePart(v, r.gt) > 0) &&
      (r.gte === undefined || comparePart(v, r.gte) >= 0) &&
      (r.lt === undefined || comparePart(v, r.lt) < 0) &&
      (r.lte === undefined || comparePart(v, r.lte) <= 0)
    )
  }
  const matching = entries.filter((e) => q.equals.every((v, i) => e.values[i] === v) && (k === fields.length || inRange(e.values[k]!)))
  matching.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = comparePart(a.values[i]!, b.values[i]!)
      if (order !== 0) return order
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  })
  if (q.order === 'desc') matching.reverse()
  const ids = [...new Set(matching.map((e) => e.id))]
  return ids.slice(0, q.limit ?? ids.length)
}

async function check(store: Store, kept: Map<string, StoreRecord>, collection: 'audit' | 'apps', q: IndexQuery): Promise<void> {
  const [index, fields] =
    collection === 'audit' ? (['byConnection', ['appId', 'connectionId', 'seq']] as const) : (['byMember', ['members[].userId']] as const)
  const expected = model(kept.values(), [...fields], q)
  const found = (await store.find(collection, index as never, q)).map((r) => r.id)
  expect(found, JSON.stringify(q)).toEqual(expected)
  const counted = await store.count(collection, index as never, q)
  expect(counted, JSON.stringify(q)).toBe(model(kept.values(), [...fields], { ...q, limit: undefined }).length)
}

test('find and count agree with a full scan, through inserts, replacements and deletes', { timeout: 120_000 }, async () => {
  const op = fc.oneof(
    { arbitrary: auditRecord.map((record) => ({ put: 'audit' as const, record })), weight: 4 },
    { arbitrary: appRecord.map((record) => ({ put: 'apps' as const, record })), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 3999 }).map((n) => ({ drop: `r${n}` })), weight: 3 },
  )
  await fc.assert(
    fc.asyncProperty(
      fc.array(auditRecord, { maxLength: 2500, size: 'max' }),
      fc.array(appRecord, { maxLength: 1500, size: 'max' }),
      fc.array(op, { maxLength: 60, size: 'max' }),
      fc.array(
        fc.oneof(
          auditQuery.map((q) => ['audit', q] as const),
          appQuery.map((q) => ['apps', q] as const),
        ),
        { minLength: 5, maxLength: 20, size: 'max' },
      ),
      async (audit, apps, ops, queries) => {
        const dir = await tempDir()
        const store = await createEmbeddedStore({ dir, log: () => {} })
        const kept = { audit: new Map<string, StoreRecord>(), apps: new Map<string, StoreRecord>() }
        try {
          await store.transaction(async (tx) => {
            for (const r of audit) kept.audit.set(r.id, (await tx.put('audit', r)) as StoreRecord)
            for (const r of apps) kept.apps.set(r.id, (await tx.put('apps', r)) as StoreRecord)
          })
          for (const o of ops) {
            if ('put' in o) kept[o.put].set(o.record.id, await store.put(o.put, o.record, { durability: 'relaxed' }))
            else {
              await store.delete('audit', o.drop)
              await store.delete('apps', o.drop)
              kept.audit.delete(o.drop)
              kept.apps.delete(o.drop)
            }
          }
          for (const [collection, q] of queries) await check(store, kept[collection], collection, q)
          // Deleting most records merges chunks; the answers stay right.
          const drop = [...kept.audit.keys()].filter((_, i) => i % 5 !== 0)
          await store.transaction(async (tx) => {
            for (const id of drop) await tx.delete('audit', id)
          })
          for (const id of drop) kept.audit.delete(id)
          for (const [collection, q] of queries) await check(store, kept[collection], collection, q)
        } finally {
          await store.close()
        }
      },
    ),
    { numRuns: 25 },
  )
})

test('the sorted list keeps order and counts through thousands of inserts and removals', () => {
  const compare = (a: number, b: number) => a - b
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5000 })), { maxLength: 8000, size: 'max' }),
      fc.integer({ min: 0, max: 5000 }),
      (steps, pivot) => {
        const list = SortedList.from([], compare)
        const model = new Set<number>()
        for (const [add, n] of steps) {
          if (add && !model.has(n)) {
            list.insert(n)
            model.add(n)
          } else if (!add) expect(list.remove(n)).toBe(model.delete(n))
        }
        const sorted = [...model].sort(compare)
        const forward: number[] = []
        list.forward(
          list.seek(() => true),
          list.end(),
          (n) => forward.push(n) > 0,
        )
        expect(forward).toEqual(sorted)
        const from = list.seek((n) => n >= pivot)
        const backward: number[] = []
        list.backward(from, list.end(), (n) => backward.push(n) > 0)
        expect(backward).toEqual(sorted.filter((n) => n >= pivot).reverse())
        expect(
          list.distance(
            list.seek(() => true),
            from,
          ),
        ).toBe(sorted.filter((n) => n < pivot).length)
        expect(list.size).toBe(model.size)
      },
    ),
    { numRuns: 60 },
  )
})

test('encoded index keys sort as their values do: numbers of any sign and size, strings with separator characters', () => {
  const part = fc.oneof(
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'b', '\uffff'), maxLength: 4 }),
    fc.constant(MISSING),
  )
  const reference = (a: KeyPart, b: KeyPart): number => {
    const rank = (p: KeyPart) => (typeof p === 'boolean' ? 0 : typeof p === 'number' ? 1 : typeof p === 'string' ? 2 : 3)
    if (rank(a) !== rank(b)) return rank(a) - rank(b)
    if (a === MISSING || a === b || (a === 0 && b === 0)) return 0
    return (a as string) < (b as string) ? -1 : 1
  }
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.tuple(part, part), fc.string({ unit: fc.constantFrom('\u0000', '\u0001', 'x'), maxLength: 3 })), {
        maxLength: 40,
      }),
      (rows) => {
        const byKey = rows.map(([values, id]) => ({ values, id, key: `${encodeValues(values)}\u0000${id.replace(/[\u0000\u0001]/g, '')}` }))
        const sortedByKey = [...byKey].sort((a, b) => compareKeys(a.key, b.key)).map((r) => r.values)
        const sortedByReference = [...byKey]
          .sort((a, b) => reference(a.values[0], b.values[0]) || reference(a.values[1], b.values[1]) || compareKeys(a.key, b.key))
          .map((r) => r.values)
        expect(sortedByKey.map((v) => v.map(String))).toEqual(sortedByReference.map((v) => v.map(String)))
        for (const { key, id } of byKey) expect(idOf(key)).toBe(id.replace(/[\u0000\u0001]/g, ''))
      },
    ),
    { numRuns: 300 },
  )
})
