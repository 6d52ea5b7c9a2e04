import { compilePattern } from '../../../schemas/pattern/index.ts'
import { lookup } from '../../../schemas/template/index.ts'
import type { BodyRule } from '../../../schemas/types/connector.ts'
import { splitPointer } from '../../../schemas/validate/index.ts'

/**
 * Whether a rule holds on a JSON body. A `null` counts as absent for `exists` and `notNull`: an API that
 * answers a wrong token with an anonymous user (`{"user": {"id": null}}`) must not pass `/user/id exists`.
 * `matches` runs on the linear-time engine; a pattern it cannot run never holds (the validator refuses it).
 *
 * @example
 * ruleHolds({ pointer: '/user/id', exists: true }, { user: { id: null } }) // false
 */
export function ruleHolds(rule: BodyRule, body: unknown): boolean {
  const found = lookup(body, splitPointer(rule.pointer))
  const present = found !== undefined && found !== null
  if (rule.exists !== undefined) return present === rule.exists
  if (rule.notNull !== undefined) return present
  if (rule.equals !== undefined) return found === rule.equals
  if (rule.notEquals !== undefined) return found !== rule.notEquals
  if (rule.oneOf !== undefined) return rule.oneOf.some((value) => value === found)
  if (rule.matches !== undefined) {
    if (typeof found !== 'string' && typeof found !== 'number') return false
    const pattern = compilePattern(rule.matches)
    return pattern.ok && pattern.matches(String(found))
  }
  return false
}

/**
 * A rule as words, for diagnoses: `"/user/id" exists and is not null`.
 *
 * @example
 * describeRule({ pointer: '/ok', equals: true }) // '"/ok" equals true'
 */
export function describeRule(rule: BodyRule): string {
  const at = `"${rule.pointer}"`
  if (rule.exists !== undefined) return rule.exists ? `${at} exists and is not null` : `${at} does not exist (or is null)`
  if (rule.notNull !== undefined) return `${at} is not null`
  if (rule.notEquals !== undefined) return `${at} does not equal ${JSON.stringify(rule.notEquals)}`
  if (rule.oneOf !== undefined) return `${at} is one of ${rule.oneOf.map((v) => JSON.stringify(v)).join(', ')}`
  if (rule.matches !== undefined) return `${at} matches ${JSON.stringify(rule.matches)}`
  return `${at} equals ${JSON.stringify(rule.equals)}`
}
