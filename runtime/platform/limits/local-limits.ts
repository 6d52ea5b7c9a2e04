import type { LimitState, PaceRule, Pacing, Slot } from './types.ts'

/** Keys kept before the ones whose turn has passed are dropped. */
const SWEEP_AT = 10_000

/**
 * {@link LimitState} in this process: for the embedded store (one process) and for what one replica learns
 * on its own (an API's rate-limit headers on a connector that declares no limits). The clock is monotonic.
 *
 * @example
 * const limits = createLocalLimits()
 * const { admitted, waitMs } = await limits.reserve('c_1', { spacingMs: 100, toleranceMs: 0, maxWaitMs: 2000 })
 */
export function createLocalLimits(now: () => number = () => performance.now()): LimitState {
  const turns = new Map<string, number>()
  const slots = new Map<string, { held: number; waiting: Array<() => void> }>()

  const sweep = (at: number) => {
    if (turns.size < SWEEP_AT) return
    for (const [key, tat] of turns) if (tat < at) turns.delete(key)
  }

  const take = (key: string, max: number): Slot | undefined => {
    let entry = slots.get(key)
    if (!entry) slots.set(key, (entry = { held: 0, waiting: [] }))
    if (entry.held >= max) return undefined
    entry.held++
    let released = false
    const slot = entry
    return {
      release() {
        if (released) return
        released = true
        slot.held--
        const next = slot.waiting.shift()
        if (next) next()
        else if (slot.held === 0) slots.delete(key)
      },
    }
  }

  return {
    async reserve(key: string, rule: PaceRule): Promise<Pacing> {
      const at = now()
      const tat = Math.max(turns.get(key) ?? at, at)
      const waitMs = Math.max(0, tat - rule.toleranceMs - at)
      if (waitMs > rule.maxWaitMs) return { admitted: false, waitMs: waitMs - rule.maxWaitMs }
      sweep(at)
      turns.set(key, tat + rule.spacingMs)
      return { admitted: true, waitMs }
    },
    async hold(key: string, ms: number, toleranceMs: number): Promise<void> {
      const until = now() + ms + toleranceMs
      if ((turns.get(key) ?? 0) < until) turns.set(key, until)
    },
    async acquire(key: string, max: number, waitMs: number): Promise<Slot | undefined> {
      const slot = take(key, max)
      if (slot || waitMs <= 0) return slot
      // Waiters are let in one per release, in arrival order; a waiter whose time ran out gives its turn on.
      return new Promise<Slot | undefined>((done) => {
        const entry = slots.get(key)!
        const wake = () => {
          clearTimeout(timer)
          done(take(key, max))
        }
        const timer = setTimeout(() => {
          const i = entry.waiting.indexOf(wake)
          if (i !== -1) entry.waiting.splice(i, 1)
          done(undefined)
        }, waitMs)
        entry.waiting.push(wake)
      })
    },
  }
}
