import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'
import { isSwitchboardError, type SwitchboardError } from '../../runtime/errors.ts'

/** A fresh temp directory per test, removed afterwards. Call at the top of a `describe`. */
export function useTempDir(): () => string {
  let dir: string | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-crypto-'))
  })
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })
  return () => dir!
}

/** Runs `fn`, expects a SwitchboardError, and returns it for further checks. */
export function catchError(fn: () => unknown): SwitchboardError {
  try {
    fn()
  } catch (error) {
    expect(isSwitchboardError(error), String(error)).toBe(true)
    return error as SwitchboardError
  }
  throw new Error('expected a SwitchboardError, nothing was thrown')
}

/** Env keys for tests: 32 bytes, in both accepted spellings. */
export const KEY_A = Buffer.alloc(32, 0xa1)
export const KEY_B = Buffer.alloc(32, 0xb2)
