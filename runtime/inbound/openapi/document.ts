import { apiSchema } from '../../../schemas/validate/index.ts'
import type { RoutePolicy } from '../access/index.ts'
import { SESSION_COOKIE } from '../callers/index.ts'
import { componentSchemas, type Schema } from './components.ts'
import { openApiPath, operationOf, type RouteEntry } from './operation.ts'

/** A route the app registered, with the policy it declared (what `declaredRoutes(app)` lists). */
export interface DeclaredRoute {
  method: string
  path: string
  policy: RoutePolicy
}

/**
 * What the runtime serves that is not part of its API, and why: these are the only routes the contract
 * (`$defs/Routes` of `api.schema.json`) does not describe.
 */
export const NOT_IN_API: Readonly<Record<string, string>> = {
  'GET /': "the designer's page",
  'GET /*': "the designer's files",
  'GET /assets/*': "the designer's files",
  'GET /api/docs/assets/:file': "the API reference page's files",
  'ALL /api/*': 'the answer to a route that does not exist (404 `route_not_found`)',
  'ALL /api/apps/:appId/*': 'the answer to a route that does not exist (404 `route_not_found`)',
}

/** The methods an `ALL` route is documented with. */
const ALL_METHODS = ['get', 'post', 'put', 'patch', 'delete']

const contract = (apiSchema as unknown as { $defs: { Routes: { properties: Record<string, RouteEntry> } } }).$defs.Routes.properties

/**
 * How to describe a route, for the message of a route that is not described.
 *
 * @example
 * throw new Error(`GET /api/x is not described. ${HOW_TO_DESCRIBE}`)
 */
export const HOW_TO_DESCRIBE = `Describe each one in schemas/api.schema.json, under "$defs" → "Routes", keyed "METHOD /path" exactly as
registered (Hono syntax, the mount prefix included, e.g. "GET /api/apps/:appId/webhooks"; one line per route, like the others there):

  "GET /api/apps/:appId/webhooks": {
    "description": "Lists the app's webhooks. (The first sentence is the summary in /api/docs.)",
    "type": "object",
    "additionalProperties": false,
    "required": ["response"],
    "properties": {
      "query": { "$ref": "#/$defs/WebhookQuery" },
      "body": { "$ref": "#/$defs/CreateWebhook" },
      "response": { "$ref": "#/$defs/WebhookList" },
      "status": { "const": 201 }
    }
  }

- "query": the query it reads (an object schema with properties; optional);
- "body": the JSON body it accepts, the same definition its handler passes to readBody (optional);
- "response": what it answers on success; leave it out for a 204. Not JSON? { "type": "string", "contentMediaType": "text/plain" };
- "status": the success status when it is not 200 (or 204 without a response): { "const": 201 }, or { "enum": [302, 200] }.
Name new bodies and answers in "$defs" with a "title", then run \`npm run generate\` (schemas/types/api.ts).
/api/openapi.json and the typed client (client/) are generated from this entry. A route that is not part of the API
(static files, catch-alls) goes in NOT_IN_API in runtime/inbound/openapi/document.ts with the reason. A route of a new group
(its tag in /api/openapi.json) also goes in the route-group table of README.md. More: docs/api.md.`

/**
 * The routes the app serves that neither the contract describes nor {@link NOT_IN_API} lists, as `METHOD /path`.
 *
 * @example
 * undescribedRoutes(declaredRoutes(app)) // [] when every route is described
 */
export function undescribedRoutes(routes: readonly DeclaredRoute[]): string[] {
  const keys = new Set(routes.map((r) => `${r.method} ${r.path}`))
  return [...keys].filter((key) => !(key in contract) && !(key in NOT_IN_API))
}

/**
 * The API as an OpenAPI 3.1 document, from the routes the app registered (method, path, who may call it)
 * and the contract in `api.schema.json` (what each takes and answers, and every schema): nothing written
 * twice. A route the contract does not describe is left out (a test fails on it, see {@link HOW_TO_DESCRIBE}).
 *
 * @example
 * const doc = openApiDocument({ routes: declaredRoutes(app), publicUrl: 'http://localhost:8787', version: '0.1.0' })
 * doc.paths['/api/apps/{appId}/connections'].get.operationId // 'getAppsByAppIdConnections'
 */
export function openApiDocument(options: { routes: readonly DeclaredRoute[]; publicUrl: string; version: string }): Schema {
  const schemas = componentSchemas()
  const paths: Record<string, Record<string, Schema>> = {}
  const seen = new Set<string>()
  for (const route of options.routes) {
    const key = `${route.method} ${route.path}`
    const entry = contract[key]
    if (!entry || seen.has(key)) continue
    seen.add(key)
    const item = (paths[openApiPath(route.path)] ??= {})
    for (const method of route.method === 'ALL' ? ALL_METHODS : [route.method.toLowerCase()]) {
      const operation = operationOf(route.method === 'ALL' ? method.toUpperCase() : route.method, route.path, entry, route.policy, schemas)
      item[method] = operation
    }
  }
  const tags = [...new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags as string[])))].sort()
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: options.version,
      description:
        'Connections, their credentials and their use: run actions and pass requests through with the credentials injected. ' +
        'Every error is `{ "error": { "code", "message", "details"? } }` with a stable code (`ErrorCode`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: options.publicUrl }],
    tags: tags.map((name) => ({ name })),
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (`Authorization: Bearer <token>`), issued by the workspace owner; the sign-in token works too.',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: "The designer's session (HttpOnly cookie)." },
      },
    },
  }
}
