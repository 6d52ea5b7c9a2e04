/**
 * How many items a chunk holds after a split. Inserting moves at most about twice this many pointers, and
 * seeking does a binary search over `size / LOAD` chunks and then within one: at 100,000 items that is about
 * 200 chunks, so both stay in the microseconds whatever the size.
 */
const LOAD = 512

/** A position between items: before `chunks[chunk][index]`, or the end when `chunk` is past the last chunk. */
export interface Cursor {
  readonly chunk: number
  readonly index: number
}

/**
 * A sorted list kept as a list of sorted chunks (the layout of Python's `sortedcontainers`): insert and remove
 * are a binary search and a short splice, a seek by any monotone predicate is two binary searches, iterating
 * from a seek costs only what it visits, and the distance between two cursors adds up chunk lengths rather than
 * walking items. Items must be distinct under `compare` (the indexes make them so by ending every key in the
 * record's id).
 *
 * Cursors are valid until the next insert or remove; the store reads and writes an index in one synchronous
 * step, so no change can fall between a seek and its use.
 *
 * @example
 * const list = SortedList.from(['b', 'a', 'c'], (x, y) => (x < y ? -1 : x > y ? 1 : 0))
 * list.insert('bb')
 * const from = list.seek((x) => x >= 'b')
 * list.forward(from, list.end(), (x) => void console.log(x)) // b, bb, c
 */
export class SortedList<T> {
  readonly #compare: (a: T, b: T) => number
  #chunks: T[][] = []
  #size = 0

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare
  }

  /** A list of `items` (sorted here, once: how indexes are rebuilt when a store opens). */
  static from<T>(items: T[], compare: (a: T, b: T) => number): SortedList<T> {
    const list = new SortedList(compare)
    const sorted = items.slice().sort(compare)
    for (let i = 0; i < sorted.length; i += LOAD) list.#chunks.push(sorted.slice(i, i + LOAD))
    list.#size = sorted.length
    return list
  }

  get size(): number {
    return this.#size
  }

  insert(item: T): void {
    const chunks = this.#chunks
    this.#size++
    if (chunks.length === 0) {
      chunks.push([item])
      return
    }
    // The first chunk whose last item is not below `item`, or the last chunk when `item` goes at the very end.
    const c = Math.min(
      this.#chunkOf((x) => this.#compare(x, item) >= 0),
      chunks.length - 1,
    )
    const chunk = chunks[c]!
    chunk.splice(
      lowerBound(chunk, (x) => this.#compare(x, item) >= 0),
      0,
      item,
    )
    if (chunk.length > 2 * LOAD) chunks.splice(c, 1, chunk.slice(0, LOAD), chunk.slice(LOAD))
  }

  /** Whether the item was there. */
  remove(item: T): boolean {
    const chunks = this.#chunks
    const c = this.#chunkOf((x) => this.#compare(x, item) >= 0)
    const chunk = chunks[c]
    if (chunk === undefined) return false
    const i = lowerBound(chunk, (x) => this.#compare(x, item) >= 0)
    if (i === chunk.length || this.#compare(chunk[i]!, item) !== 0) return false
    chunk.splice(i, 1)
    this.#size--
    if (chunk.length === 0) chunks.splice(c, 1)
    else if (chunk.length < LOAD / 4 && chunks.length > 1) this.#mergeAt(c)
    return true
  }

  /** The first position whose item satisfies `atOrAfter`, which must be false up to some item and true from it on. */
  seek(atOrAfter: (item: T) => boolean): Cursor {
    const c = this.#chunkOf(atOrAfter)
    const chunk = this.#chunks[c]
    return chunk === undefined ? this.end() : { chunk: c, index: lowerBound(chunk, atOrAfter) }
  }

  /**
   * Like {@link seek}, for a position known not to be before `from`: when it lies in the same chunk, only that
   * chunk is searched (a query's end is usually a few items past its start).
   */
  seekFrom(from: Cursor, atOrAfter: (item: T) => boolean): Cursor {
    const chunk = this.#chunks[from.chunk]
    if (chunk === undefined || !atOrAfter(chunk[chunk.length - 1]!)) return this.seek(atOrAfter)
    let lo = from.index
    let hi = chunk.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (atOrAfter(chunk[mid]!)) hi = mid
      else lo = mid + 1
    }
    return { chunk: from.chunk, index: lo }
  }

  end(): Cursor {
    return { chunk: this.#chunks.length, index: 0 }
  }

  /** Visits the items from `from` up to (not including) `to`, in order, while `visit` returns true. */
  forward(from: Cursor, to: Cursor, visit: (item: T) => boolean): void {
    for (let c = from.chunk; c <= to.chunk && c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!
      const stop = c === to.chunk ? to.index : chunk.length
      for (let i = c === from.chunk ? from.index : 0; i < stop; i++) if (!visit(chunk[i]!)) return
    }
  }

  /** Visits the items from just before `to` down to `from`, while `visit` returns true. */
  backward(from: Cursor, to: Cursor, visit: (item: T) => boolean): void {
    for (let c = Math.min(to.chunk, this.#chunks.length - 1); c >= from.chunk; c--) {
      const chunk = this.#chunks[c]!
      const start = c === to.chunk ? to.index - 1 : chunk.length - 1
      const stop = c === from.chunk ? from.index : 0
      for (let i = start; i >= stop; i--) if (!visit(chunk[i]!)) return
    }
  }

  /** How many items lie from `from` up to `to` (0 when `to` is not after `from`). */
  distance(from: Cursor, to: Cursor): number {
    if (to.chunk < from.chunk || (to.chunk === from.chunk && to.index <= from.index)) return 0
    if (from.chunk === to.chunk) return to.index - from.index
    let n = this.#chunks[from.chunk]!.length - from.index + to.index
    for (let c = from.chunk + 1; c < to.chunk; c++) n += this.#chunks[c]!.length
    return n
  }

  /** The first chunk whose last item satisfies `atOrAfter` (the chunk count when none does). */
  #chunkOf(atOrAfter: (item: T) => boolean): number {
    let lo = 0
    let hi = this.#chunks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const chunk = this.#chunks[mid]!
      if (atOrAfter(chunk[chunk.length - 1]!)) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Joins a chunk that became small to a neighbour, so many deletions cannot leave thousands of tiny chunks. */
  #mergeAt(c: number): void {
    const chunks = this.#chunks
    const left = c > 0 ? c - 1 : c
    const joined = chunks[left]!.concat(chunks[left + 1]!)
    if (joined.length > 2 * LOAD) chunks.splice(left, 2, joined.slice(0, joined.length >>> 1), joined.slice(joined.length >>> 1))
    else chunks.splice(left, 2, joined)
  }
}

/** The first index of sorted `items` whose item satisfies the monotone `atOrAfter`. */
function lowerBound<T>(items: readonly T[], atOrAfter: (item: T) => boolean): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (atOrAfter(items[mid]!)) hi = mid
    else lo = mid + 1
  }
  return lo
}
