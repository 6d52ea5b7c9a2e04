import type { Store } from '../store/index.ts'

/** Reports one store operation's duration. */
export type StoreTimer = (operation: string, engine: string, seconds: number) => void

/**
 * The store with every operation timed (`get`, `find`, `count`, `scan`, `insert`, `put`, `update`, `delete`, and a
 * `transaction` once, whole); `lock`, `subscribe` and `close` pass through (a lock is held for as long as its work
 * takes, which is not the store's latency).
 *
 * @example
 * const store = instrumentStore(openedStore, metrics.store)
 */
export function instrumentStore(store: Store, observe: StoreTimer): Store {
  const { engine } = store
  const timed = <R>(operation: string, started: number, work: Promise<R>): Promise<R> =>
    work.then(
      (value) => {
        observe(operation, engine, (performance.now() - started) / 1000)
        return value
      },
      (error: unknown) => {
        observe(operation, engine, (performance.now() - started) / 1000)
        throw error
      },
    )
  return {
    engine,
    get: (collection, id, options) => timed('get', performance.now(), store.get(collection, id, options)),
    find: (collection, index, query) => timed('find', performance.now(), store.find(collection, index, query)),
    count: (collection, index, query) => timed('count', performance.now(), store.count(collection, index, query)),
    scan: (collection, page) => timed('scan', performance.now(), store.scan(collection, page)),
    insert: (collection, record, options) => timed('insert', performance.now(), store.insert(collection, record, options)),
    put: (collection, record, options) => timed('put', performance.now(), store.put(collection, record, options)),
    update: (collection, id, updater, options) => timed('update', performance.now(), store.update(collection, id, updater, options)),
    delete: (collection, id, options) => timed('delete', performance.now(), store.delete(collection, id, options)),
    transaction: (fn, options) => timed('transaction', performance.now(), store.transaction(fn, options)),
    lock: (name, fn) => store.lock(name, fn),
    subscribe: (listener) => store.subscribe(listener),
    close: () => store.close(),
  }
}
