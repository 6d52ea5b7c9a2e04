import type { Action, AuthMethod, Connector } from '../../../../schemas/types/connector.ts'
import { isObject } from '../../../../schemas/validate/context.ts'
import { type ValidationResult, validateConnector } from '../../../../schemas/validate/index.ts'
import { toAction } from './actions.ts'
import { type AuthOptions, mapAuth } from './auth.ts'
import { SchemaContext } from './input-schema.ts'
import type { LoadedSpec } from './load.ts'
import { clip, connectorIdFrom, UniqueKeys } from './names.ts'
import { listOperations } from './operations.ts'
import { operationFilter } from './select.ts'
import { mapServers } from './servers.ts'
import { TestChooser } from './test-request.ts'
import type { OpenApiReport } from './types.ts'

/** A connector holds at most this many actions (`connector.schema.json`). */
export const MAX_ACTIONS = 200
/** Operations listed one by one in the report; the rest are counted. */
const MAX_LISTED = 1000
const NO_AUTH: AuthMethod = { type: 'none', id: 'none', label: 'No authentication' }
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/** How to import. */
export interface ConvertOptions extends AuthOptions {
  /** Globs of operations to import (operationId, `METHOD /path` or the path); all when empty. */
  include?: string[]
  exclude?: string[]
  /** Called now and then with the operations done so far, for a progress line. */
  onProgress?: (done: number, total: number) => void
  /** Used for the connector's id when the spec has no usable title. */
  fallbackId?: string
}

/** The connector made from a spec, what was left out, and the validator's verdict on it. */
export interface Conversion {
  connector: Connector
  report: OpenApiReport
  validation: ValidationResult
}

/**
 * A loaded spec → a connector and a report. Whatever the spec holds, the connector validates: what
 * cannot be mapped is left out and reported (per scheme and per operation), and anything the validator
 * still refuses is dropped with its message.
 *
 * @example
 * const { connector, report } = convertOpenApi(await loadOpenApi('openapi.yaml'), { include: ['GET *'] })
 */
export function convertOpenApi(spec: LoadedSpec, options: ConvertOptions = {}): Conversion {
  const { doc, version } = spec
  const info = isObject(doc.info) ? doc.info : {}
  const title = clip(info.title, 80) ?? 'Imported API'
  const servers = mapServers(doc, version)
  const auth = mapAuth(
    doc,
    version,
    servers.example,
    servers.fields.map((f) => f.key),
    options,
  )
  const methods: Connector['auth'] = nonEmpty(auth.methods) ? auth.methods : [NO_AUTH]
  const report: OpenApiReport = {
    format: version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${spec.declared}`,
    title,
    operations: 0,
    selected: 0,
    actions: 0,
    baseUrl: servers.baseUrl,
    fields: servers.fields.map((f) => f.key),
    schemes: auth.schemes,
    authMethods: methods.map((m) => `${m.id} (${m.type})`),
    test: { reason: '' },
    notMapped: [],
    notMappedCount: 0,
    partial: [],
    notes: [...servers.notes],
  }
  if (auth.schemes.length === 0) report.notes.push('the spec declares no security scheme: the connector has no authentication')
  else if (auth.methods.length === 0) report.notes.push('no security scheme could be mapped: the connector has no authentication')

  const wanted = operationFilter(options.include, options.exclude)
  const keys = new UniqueKeys()
  const chooser = new TestChooser(auth.methods.length > 0)
  const actions: Action[] = []
  const total = countOperations(doc)
  const skip = (operation: string, reason: string) => {
    report.notMappedCount++
    if (report.notMapped.length < MAX_LISTED) report.notMapped.push({ operation, reason })
  }
  for (const op of listOperations(doc, version)) {
    report.operations++
    if (options.onProgress && report.operations % 250 === 0) options.onProgress(report.operations, total)
    chooser.offer(op)
    const name = `${op.method.toUpperCase()} ${clip(op.path, 200)}`
    if (!wanted(op)) continue
    report.selected++
    if (actions.length >= MAX_ACTIONS) {
      skip(name, `a connector holds at most ${MAX_ACTIONS} actions: choose with --include/--exclude`)
      continue
    }
    const result = toAction(op, { keys, scopes: auth.scopes, schema: () => new SchemaContext(doc) })
    if ('reason' in result) {
      skip(name, result.reason)
      continue
    }
    actions.push(result.action)
    if (result.notes.length > 0) report.partial.push({ operation: name, action: result.action.key, notes: [...new Set(result.notes)] })
  }
  options.onProgress?.(report.operations, total)
  const test = chooser.choice(doc)
  report.test = test.test ? { method: 'GET', path: test.test.path!, reason: test.reason } : { reason: test.reason }

  const description = clip(String(info.description ?? '').split(/\n\s*\n/)[0], 500)
  const docs = isObject(doc.externalDocs) && typeof doc.externalDocs.url === 'string' ? doc.externalDocs.url : undefined
  const connector: Connector = {
    id: connectorIdFrom(String(info.title ?? ''), options.fallbackId),
    name: title,
    ...(description ? { description } : {}),
    ...(docs && /^https:\/\/\S+$/.test(docs) && docs.length <= 2048 ? { docsUrl: docs } : {}),
    baseUrl: servers.baseUrl,
    ...(servers.fields.length > 0 ? { fields: servers.fields } : {}),
    auth: methods,
    ...(test.test ? { test: test.test } : {}),
    ...(actions.length > 0 ? { actions } : {}),
  }
  const validation = settle(connector, report)
  report.actions = connector.actions?.length ?? 0
  return { connector, report, validation }
}

/**
 * Drops whatever the validator still refuses — an action, the test, an auth method — and says so, so
 * that the connector is valid whatever the spec held. Three rounds at most: each one only removes.
 */
function settle(connector: Connector, report: OpenApiReport): ValidationResult {
  let validation = validateConnector(connector)
  for (let round = 0; round < 3 && !validation.valid; round++) {
    const doomed = { actions: new Set<number>(), auth: new Set<number>(), test: false }
    for (const error of validation.errors) {
      const [, part, index] = error.path.split('/')
      if (part === 'actions' && index !== undefined) doomed.actions.add(Number(index))
      else if (part === 'auth' && index !== undefined) doomed.auth.add(Number(index))
      else if (part === 'test') doomed.test = true
      else continue
      report.notes.push(`left out because the validator refused it: ${error.path}: ${error.message}`)
    }
    if (connector.actions && doomed.actions.size > 0) {
      const kept = connector.actions.filter((_, i) => !doomed.actions.has(i))
      if (kept.length > 0) connector.actions = kept
      else delete connector.actions
    }
    if (doomed.auth.size > 0) {
      const kept = connector.auth.filter((_, i) => !doomed.auth.has(i))
      connector.auth = nonEmpty(kept) ? kept : [NO_AUTH]
    }
    if (doomed.test) delete connector.test
    validation = validateConnector(connector)
  }
  return validation
}

function nonEmpty<T>(list: T[]): list is [T, ...T[]] {
  return list.length > 0
}

function countOperations(doc: Record<string, unknown>): number {
  let n = 0
  if (!isObject(doc.paths)) return 0
  for (const item of Object.values(doc.paths)) if (isObject(item)) for (const key of Object.keys(item)) if (METHODS.has(key)) n++
  return n
}
