import type { TestRequest } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import type { Operation } from './operations.ts'
import { deref } from './refs.ts'
import { jsonResponseSchema, successStatus } from './responses.ts'

/** Last path segments that name the caller: the cheapest proof that credentials work. */
const CALLER = new Set([
  'me',
  'user',
  'self',
  'whoami',
  'myself',
  'account',
  'profile',
  'viewer',
  'identity',
  'userinfo',
  'tokeninfo',
  'current',
  'current_user',
  'currentuser',
  'current-user',
  'my',
  'session',
  'auth.test',
  'verify',
  'token',
])
const LABELS = ['login', 'username', 'email', 'name', 'display_name', 'displayName']
const RELATIVE_PATH = /^\/([^/\s\\][^\s\\]*)?$/

/** The test request picked, and why that one. */
export interface TestChoice {
  test?: TestRequest
  reason: string
}

/**
 * Keeps the best connection test among the operations it is shown: a GET without path or required
 * parameters that needs credentials (any such GET when the spec has no security), preferring one that
 * names the caller (`/user`, `/me`, `/account`, …), then the shortest path. Fed one operation at a time,
 * so a spec of 100,000 operations is never held twice.
 *
 * @example
 * const chooser = new TestChooser(true); for (const op of ops) chooser.offer(op); chooser.choice(doc)
 */
export class TestChooser {
  private best: { op: Operation; score: number } | undefined

  constructor(private readonly secured: boolean) {}

  offer(op: Operation): void {
    if (op.method !== 'get' || op.path.length > 512 || !RELATIVE_PATH.test(op.path) || /[{}?#%]|\/\.\.?(\/|$)/.test(op.path)) return
    if (op.parameters.some((p) => p.required && (p.in !== 'query' || !hasDefault(p.schema)))) return
    const authenticated = op.security.some((r) => isObject(r) && Object.keys(r).length > 0)
    if (this.secured && !authenticated) return
    const segments = op.path.split('/').filter((s) => s !== '')
    const last = (segments.at(-1) ?? '').toLowerCase().replace(/\.json$/, '')
    const score = (CALLER.has(last) ? 1000 : 0) - 10 * segments.length - op.path.length / 100
    if (!this.best || score > this.best.score) this.best = { op, score }
  }

  choice(doc: unknown): TestChoice {
    if (!this.best) {
      return {
        reason: this.secured
          ? 'no GET without path or required parameters needs credentials: add a test request by hand'
          : 'no GET without path or required parameters: add a test request by hand',
      }
    }
    const { op, score } = this.best
    const test: TestRequest = { method: 'GET', path: op.path }
    const status = successStatus(op.responses)
    if (status) test.successStatus = status as NonNullable<TestRequest['successStatus']>
    const label = labelOf(doc, op)
    if (label) test.label = `{{body.${label}}}`
    const why = score >= 500 ? 'it names the caller' : 'the shortest path'
    const needs = this.secured ? 'an authenticated GET' : 'a GET'
    return { test, reason: `GET ${op.path}: ${needs} without required parameters; ${why}` }
  }
}

function hasDefault(schema: unknown): boolean {
  return isObject(schema) && schema.default !== undefined
}

/** A top-level property of the answer that names the account: `login`, `username`, `email`, `name`. */
function labelOf(doc: unknown, op: Operation): string | undefined {
  const schema = deref(doc, jsonResponseSchema(doc, op.responses))
  if (!isObject(schema) || !isObject(schema.properties)) return undefined
  return LABELS.find((name) => Object.hasOwn(schema.properties as object, name))
}
