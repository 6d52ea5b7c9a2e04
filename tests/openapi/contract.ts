/**
 * Checks answers against the published OpenAPI document: the operation of a method and concrete path, and
 * whether a status, media type and body are what the document says for that status.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import { declaredRoutes } from '../../runtime/inbound/access/index.ts'
import { openApiDocument } from '../../runtime/inbound/openapi/index.ts'
import { re2RegExp } from '../../schemas/pattern/index.ts'

type Doc = any

/** What was answered to one request, as the contract check sees it. */
export interface Exchange {
  method: string
  path: string
  status: number
  contentType: string
  body: unknown
}

const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * A checker over one document: `operation` finds the documented path of a request, `problems` lists what does
 * not match the document in an answer (empty when it does).
 *
 * @example
 * const contract = createContract(doc)
 * contract.problems({ method: 'GET', path: '/api/me', status: 200, contentType: 'application/json', body })
 */
export function createContract(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, code: { regExp: re2RegExp } })
  ajv.addSchema(doc, 'openapi')
  // The most literal template first: `/api/connectors/validate` before `/api/connectors/{id}`.
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      pattern: new RegExp(
        `^${template
          .replace(/[.]/g, '\\.')
          .replace(/\/\{path\}$/, '/.+')
          .replace(/\{\w+\}/g, '[^/]+')}$`,
      ),
    }))
    .sort((a, b) => a.params - b.params)

  const operation = (method: string, path: string) => {
    const bare = path.split('?')[0]!
    for (const { template, pattern } of templates) {
      const op = doc.paths[template][method.toLowerCase()]
      if (op && pattern.test(bare)) return { template, op }
    }
    return undefined
  }

  const problems = (x: Exchange): string[] => {
    const found = operation(x.method, x.path)
    const where = `${x.method} ${x.path} → ${x.status}`
    if (!found) {
      // Outside /api with no operation: the designer's page and files, which are not the API.
      if (!x.path.startsWith('/api/')) return []
      // A route the document does not have: the runtime's refusal (401/403 before it says 404 `route_not_found`).
      const envelope = ajv.getSchema('openapi#/components/schemas/ErrorEnvelope')!
      return x.status >= 400 && envelope(x.body) ? [] : [`${where}: no operation in /api/openapi.json`]
    }
    const { template, op } = found
    const range = `${String(x.status)[0]}XX`
    const key = op.responses[String(x.status)] ? String(x.status) : op.responses[range] ? range : x.status >= 400 ? 'default' : undefined
    if (!key) return [`${where}: status ${x.status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`]
    const content = op.responses[key].content as Record<string, unknown> | undefined
    if (!content) return x.body === '' || x.body === undefined ? [] : [`${where}: the document says no body, got one`]
    const media = Object.keys(content)[0]!
    if (media === '*/*') return []
    if (!x.contentType.startsWith(media)) return [`${where}: documented ${media}, answered ${x.contentType}`]
    if (media !== 'application/json') return []
    const pointer = `openapi#/paths/${escape(template)}/${x.method.toLowerCase()}/responses/${key}/content/${escape(media)}/schema`
    const validate = ajv.getSchema(pointer)
    if (!validate) return [`${where}: cannot compile ${pointer}`]
    if (validate(x.body)) return []
    return (validate.errors ?? []).slice(0, 5).map((e) => `${where}: ${e.instancePath || '/'} ${e.message} (${e.schemaPath})`)
  }

  return { operation, problems }
}

const byDocument = new Map<string, ReturnType<typeof createContract>>()

/**
 * The checker of an app's own document (what it serves at /api/openapi.json), compiled once per process for
 * every app with the same routes.
 *
 * @example
 * contractOf(h.app).problems(exchange)
 */
export function contractOf(app: Parameters<typeof declaredRoutes>[0]): ReturnType<typeof createContract> {
  const doc = openApiDocument({ routes: declaredRoutes(app), publicUrl: 'http://localhost:8787', version: '0' })
  const key = JSON.stringify(doc)
  let contract = byDocument.get(key)
  if (!contract) byDocument.set(key, (contract = createContract(JSON.parse(key))))
  return contract
}
