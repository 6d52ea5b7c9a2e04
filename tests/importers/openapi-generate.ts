/**
 * Made-up OpenAPI documents of a chosen size, shaped like big real ones (GitHub's, Stripe's): shared
 * component schemas with `$ref`s, `allOf`, `oneOf` and a recursive one, path and query parameters, JSON
 * bodies, OAuth2 scopes per operation, long descriptions and response examples.
 */

export interface GeneratedSpecOptions {
  operations: number
  /** Pads descriptions and examples until the JSON text is about this long. */
  targetBytes?: number
  schemas?: number
}

/**
 * A JSON OpenAPI 3.0 document with `operations` operations.
 *
 * @example
 * writeFileSync('big.json', generateSpec({ operations: 1000, targetBytes: 10 * 1024 * 1024 }))
 */
export function generateSpec({
  operations,
  targetBytes = 0,
  schemas = Math.min(300, Math.max(5, operations / 4)),
}: GeneratedSpecOptions): string {
  const schemaCount = Math.floor(schemas)
  const components: Record<string, unknown> = {
    Node: {
      type: 'object',
      properties: { id: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
    },
  }
  for (let s = 0; s < schemaCount; s++) {
    const properties: Record<string, unknown> = {
      id: { type: 'integer', readOnly: true },
      created_at: { type: 'string', format: 'date-time', readOnly: true },
    }
    for (let p = 0; p < 12; p++)
      properties[`field_${p}`] = { type: p % 3 === 0 ? 'integer' : 'string', description: `Field ${p} of resource ${s}.` }
    properties.parent = { $ref: `#/components/schemas/Resource${(s + 1) % schemaCount}` }
    properties.tree = { $ref: '#/components/schemas/Node' }
    properties.kind = { oneOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'integer' }] }
    components[`Resource${s}`] = { allOf: [{ type: 'object', required: ['field_1'], properties }, { $ref: '#/components/schemas/Node' }] }
  }
  const scopes = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`scope:${i}`, `Scope ${i}`]))
  const paths: Record<string, Record<string, unknown>> = {}
  const pad = (n: number) => 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.max(0, Math.ceil(n / 57))).slice(0, n)
  const opPad = { value: 0 }
  const operation = (i: number, method: string) => {
    const schema = { $ref: `#/components/schemas/Resource${i % schemaCount}` }
    return {
      operationId: `resource${i}/${method}`,
      summary: `${method} resource ${i}`,
      description: `Operation ${i}. ${pad(opPad.value)}`,
      tags: [`group${i % 40}`],
      security: [{ oauth: [`scope:${i % 20}`] }],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'per_page', in: 'query', schema: { type: 'integer', default: 30, maximum: 100 } },
        { name: 'X-Request-Id', in: 'header', schema: { type: 'string' } },
      ],
      ...(method === 'get' ? {} : { requestBody: { required: true, content: { 'application/json': { schema } } } }),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema, example: { id: i, note: pad(opPad.value / 2) } } } },
        '404': { description: 'Not found' },
      },
    }
  }
  const build = () => {
    for (let i = 0; i < operations; i++) {
      const path = `/groups/${i % 40}/resources${i}/{id}`
      const method = ['get', 'post', 'patch', 'delete'][i % 4]!
      paths[path] = { [method]: operation(i, method) }
    }
    return JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Generated API', version: '1.0.0', description: 'A generated spec for import benchmarks.' },
      servers: [{ url: 'https://{region}.api.generated.test/v1', variables: { region: { default: 'eu', enum: ['eu', 'us'] } } }],
      security: [{ oauth: [] }],
      paths,
      components: {
        schemas: components,
        securitySchemes: {
          oauth: {
            type: 'oauth2',
            flows: {
              authorizationCode: {
                authorizationUrl: 'https://auth.generated.test/authorize',
                tokenUrl: 'https://auth.generated.test/token',
                scopes,
              },
            },
          },
          key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
    })
  }
  const bare = build()
  if (targetBytes <= bare.length) return bare
  opPad.value = Math.floor((targetBytes - bare.length) / operations / 1.5)
  return build()
}
