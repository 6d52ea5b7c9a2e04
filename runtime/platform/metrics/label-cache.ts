/**
 * Label objects made once per distinct label values and handed out again after: three levels of maps keyed by
 * each value (an unused one is `undefined`), so a lookup on the hot path allocates nothing. Label values come
 * from bounded sets (route patterns, statuses, connector ids, store operations), so the cache stays small.
 *
 * @example
 * const labels = createLabelCache((connector: string) => ({ connector }))
 * labels('github') === labels('github') // true
 */
export function createLabelCache<V, A, B = undefined, C = undefined>(make: (a: A, b: B, c: C) => V): (a: A, b: B, c: C) => V {
  const root = new Map<A, Map<B, Map<C, V>>>()
  return (a, b, c) => {
    let byB = root.get(a)
    if (!byB) root.set(a, (byB = new Map()))
    let byC = byB.get(b)
    if (!byC) byB.set(b, (byC = new Map()))
    let value = byC.get(c)
    if (value === undefined) byC.set(c, (value = make(a, b, c)))
    return value
  }
}
