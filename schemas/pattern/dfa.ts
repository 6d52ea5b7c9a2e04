import type { RE2JS } from 're2js'

/**
 * A small lazy DFA over the program RE2 compiled, so that testing a value costs one table lookup per
 * character once the states it passes through are built. re2js runs an anchored pattern like
 * `^[A-Za-z][A-Za-z0-9_]{0,63}$` on its one-pass engine, which walks the program's instructions at every
 * character: correct and linear, but it made the schema's own patterns most of a validation's time.
 *
 * The answers are RE2's, since the states are sets of RE2's own instructions and a character moves them as
 * RE2's engines do. Time stays linear in the value: a state is built at most once and holds at most every
 * instruction. A program with a zero-width assertion other than start and end of text (`\b`, multi-line
 * `^`/`$`), or lookbehind, is not run here; nor is a value whose states would outgrow the budget, which
 * bounds memory whatever pattern a connector declares. Either way `run` returns undefined and RE2 answers.
 */

/** The parts of re2js's compiled program read here (re2js 2.x `Prog` and `Inst`). */
interface Inst {
  op: number
  out: number
  arg: number
  matchRune(rune: number): boolean
}

interface Prog {
  inst: Inst[]
  start: number
  numLb: number
}

const ALT = 1
const ALT_MATCH = 2
const CAPTURE = 3
const EMPTY_WIDTH = 4
const MATCH = 6
const NOP = 7
const RUNE = 8
const RUNE_ANY_NOT_NL = 11
const LB_WRITE = 12
const LB_CHECK = 13
const BEGIN_TEXT = 4
const END_TEXT = 8

/**
 * What one DFA may hold, in slots of about 8 bytes (a state's instructions and table, a map entry): about 128 kB,
 * a hundred-odd states, two DFAs per pattern; re2js's own DFA may take 8 MB per pattern.
 */
const BUDGET = 1 << 14
/** Characters below this move through a table; others through a map of those seen. */
const TABLE_SIZE = 128

interface State {
  /** The instructions the state stands for, sorted, closed over empty moves. */
  pcs: number[]
  /** Whether a match is complete here without reaching the end of the text. */
  matchNow: boolean
  /** Whether a match is complete if the text ends here. */
  matchAtEnd: boolean
  /** Whether the answer is known here: a match found (anywhere) or no match possible (whole value). */
  stop: boolean
  /** Next state per ASCII character, null when not built yet. */
  next: Array<State | null>
  /** Next state per other character seen so far. */
  other?: Map<number, State>
}

export class LinearDfa {
  private readonly byKey = new Map<string, State>()
  private spent = 0
  private failed: boolean
  private start: State | undefined

  /**
   * @param anchored true for a whole-value match (`testExact`), false for a match anywhere (`test`).
   */
  private constructor(
    private readonly prog: Prog,
    private readonly anchored: boolean,
  ) {
    this.failed = !supported(prog)
  }

  /** The DFA of a compiled pattern, or undefined when re2js's program cannot be read. */
  static of(re2: RE2JS, anchored: boolean): LinearDfa | undefined {
    const prog = (re2 as unknown as { re2Input?: { prog?: Prog } }).re2Input?.prog
    if (!prog || !Array.isArray(prog.inst) || typeof prog.start !== 'number') return undefined
    return new LinearDfa(prog, anchored)
  }

  /** Whether the value matches, or undefined when this DFA cannot tell within its budget. */
  run(value: string): boolean | undefined {
    if (this.failed) return undefined
    this.start ??= this.state(this.closure([this.prog.start], BEGIN_TEXT), true)
    let state = this.start
    if (!state) return undefined
    if (state.stop) return !this.anchored
    const length = value.length
    for (let i = 0; i < length; ) {
      let rune = value.charCodeAt(i)
      let next: State | null | undefined
      if (rune < TABLE_SIZE) {
        next = state.next[rune]
        if (!next) {
          next = this.step(state, rune)
          if (!next) return undefined
          state.next[rune] = next
        }
        i++
      } else {
        let width = 1
        if (rune >= 0xd800 && rune <= 0xdbff && i + 1 < length) {
          const low = value.charCodeAt(i + 1)
          if (low >= 0xdc00 && low <= 0xdfff) {
            rune = (rune - 0xd800) * 1024 + (low - 0xdc00) + 0x10000
            width = 2
          }
        }
        next = state.other?.get(rune)
        if (!next) {
          next = this.step(state, rune)
          // Counted against the budget like states, so that many distinct characters cannot grow it without end.
          this.spent += 2
          if (!next || this.spent > BUDGET) {
            this.failed = true
            return undefined
          }
          state.other ??= new Map()
          state.other.set(rune, next)
        }
        i += width
      }
      state = next
      if (state.stop) return !this.anchored
    }
    return state.matchAtEnd
  }

  private step(state: State, rune: number): State | undefined {
    const seeds: number[] = []
    for (const pc of state.pcs) {
      const inst = this.prog.inst[pc]!
      if (inst.op >= RUNE && inst.op <= RUNE_ANY_NOT_NL && inst.matchRune(rune)) seeds.push(inst.out)
    }
    if (!this.anchored) seeds.push(this.prog.start)
    return this.state(this.closure(seeds, 0), false)
  }

  /** The instructions reachable from `seeds` without reading a character, given the zero-width facts `flags`. */
  private closure(seeds: number[], flags: number): number[] {
    const seen = new Set<number>()
    const stack = seeds.slice().reverse()
    while (stack.length > 0) {
      const pc = stack.pop()!
      // Instruction 0 is re2js's fail instruction.
      if (pc === 0 || seen.has(pc)) continue
      seen.add(pc)
      const inst = this.prog.inst[pc]!
      switch (inst.op) {
        case ALT:
        case ALT_MATCH:
          stack.push(inst.arg, inst.out)
          break
        case NOP:
        case CAPTURE:
          stack.push(inst.out)
          break
        case EMPTY_WIDTH:
          // Kept in the set either way: at the end of the text it is followed again with END_TEXT.
          if ((inst.arg & ~flags) === 0) stack.push(inst.out)
          break
      }
    }
    return [...seen].sort((a, b) => a - b)
  }

  /** The state for `pcs`, built if new; undefined when the budget is spent. */
  private state(pcs: number[], atStart: boolean): State | undefined {
    const key = `${atStart ? 's' : ''}${pcs.join(',')}`
    const known = this.byKey.get(key)
    if (known) return known
    this.spent += pcs.length + TABLE_SIZE
    if (this.spent > BUDGET) {
      this.failed = true
      return undefined
    }
    const hasMatch = (set: number[]) => set.some((pc) => this.prog.inst[pc]!.op === MATCH)
    const matchNow = hasMatch(pcs)
    const matchAtEnd = hasMatch(this.closure(pcs, END_TEXT | (atStart ? BEGIN_TEXT : 0)))
    const stop = this.anchored ? pcs.length === 0 : matchNow
    const state: State = { pcs, matchNow, matchAtEnd, stop, next: new Array<State | null>(TABLE_SIZE).fill(null) }
    this.byKey.set(key, state)
    return state
  }
}

/** Lookbehind and zero-width assertions other than start and end of text are left to RE2. */
function supported(prog: Prog): boolean {
  if (prog.numLb > 0) return false
  for (const inst of prog.inst) {
    if (inst.op === LB_WRITE || inst.op === LB_CHECK) return false
    if (inst.op === EMPTY_WIDTH && (inst.arg & ~(BEGIN_TEXT | END_TEXT)) !== 0) return false
  }
  return true
}
