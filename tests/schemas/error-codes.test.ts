/**
 * The error envelope's codes are one enum in `api.schema.json`: every code the runtime's source can
 * produce is in it, and nothing in it is a code nobody produces any more.
 */
import { describe, expect, it } from 'vitest'
import { apiSchema } from '../../schemas/validate/index.ts'
import { COMPUTED, scanErrorCodes } from './error-codes.ts'

const defs = (apiSchema as unknown as { $defs: Record<string, any> }).$defs
const declared = new Set<string>(defs.ErrorCode.enum)
const { codes, unknown } = scanErrorCodes()

describe('ErrorCode', () => {
  it('the envelope carries it', () => {
    expect(defs.ErrorEnvelope.properties.error.properties.code).toEqual({ $ref: '#/$defs/ErrorCode' })
  })

  it('every code computed at run time is explained in COMPUTED', () => {
    expect(unknown, 'add these places to COMPUTED in tests/schemas/error-codes.ts with the codes they can produce').toEqual([])
    expect(Object.keys(COMPUTED).length).toBeGreaterThan(0)
  })

  it('holds every code the runtime produces', () => {
    expect([...codes].filter((code) => !declared.has(code)).sort(), 'add these to $defs/ErrorCode').toEqual([])
  })

  it('holds no code the runtime no longer produces', () => {
    expect([...declared].filter((code) => !codes.has(code)).sort(), 'remove these from $defs/ErrorCode').toEqual([])
  })

  it('is sorted, so a new code has one place to go', () => {
    expect(defs.ErrorCode.enum).toEqual([...declared].sort())
  })
})
