/**
 * Group commit. `flush()` resolves once a write that started after the call has completed, so a caller that
 * changed the in-memory data and then awaits `flush()` knows its change is durable. Calls arriving while a
 * write is in flight all join the next single write, which is what keeps throughput high under concurrency.
 *
 * @example
 * const writer = createWriteCoalescer(() => db.write())
 * db.data.collections.apps![id] = record
 * await writer.flush() // durable now
 */
export interface WriteCoalescer {
  flush(): Promise<void>
  /** Resolves when nothing is queued or in flight (errors are the flushing callers' business). */
  idle(): Promise<void>
}

/** Creates a {@link WriteCoalescer} around `write`, which must take its snapshot before its first await. */
export function createWriteCoalescer(write: () => Promise<void>): WriteCoalescer {
  let queued: Deferred<void> | undefined
  let inFlight: Promise<void> | undefined

  const start = () => {
    const batch = queued!
    queued = undefined
    // `write` takes its snapshot synchronously, so every change made before this line is in it.
    inFlight = write()
      .then(batch.resolve, batch.reject)
      .finally(() => {
        inFlight = undefined
        if (queued) start()
      })
  }

  return {
    flush() {
      if (!queued) {
        queued = withResolvers<void>()
        // When idle, wait for the current turn of the event loop so a burst of changes shares the first write.
        if (!inFlight) setImmediate(start)
      }
      return queued.promise
    },
    async idle() {
      while (queued || inFlight) await Promise.allSettled([queued?.promise, inFlight])
    },
  }
}

interface Deferred<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

/** Promise.withResolvers arrived in Node 22; the runtime supports 20. */
function withResolvers<T>(): Deferred<T> {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason?: unknown) => void
  const promise = new Promise<T>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { promise, resolve, reject }
}
