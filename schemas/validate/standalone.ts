import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import standalone from 'ajv/dist/standalone/index.js'
import connectorSchema from '../connector.schema.json' with { type: 'json' }
import { DOC_KEYWORDS, SCHEMA_AJV_OPTIONS } from './ajv-options.ts'

/** Where the pattern engine the generated code calls lives, as a file path. */
const PATTERN_ENGINE = fileURLToPath(new URL('../pattern/index.ts', import.meta.url))

/**
 * The connector schema's check as standalone ES module source: the code ajv would compile at start, written
 * ahead of time, so that the designer runs the same check as the runtime without shipping ajv and its
 * compiler. Built from `connector.schema.json` with the runtime's options on every build (no copy to go
 * stale); its default export is the check. `resolve` names the modules it imports (ajv's small runtime helpers
 * as bare specifiers, and the RE2 pattern engine as a file path): a bundler takes them as they are, Node wants
 * file URLs.
 *
 * @example
 * const source = connectorCheckSource() // for Vite
 * const forNode = connectorCheckSource((s) => (isAbsolute(s) ? pathToFileURL(s).href : import.meta.resolve(s)))
 */
export function connectorCheckSource(resolve: (specifier: string) => string = (s) => s): string {
  const ajv = new Ajv2020({ ...SCHEMA_AJV_OPTIONS, code: { ...SCHEMA_AJV_OPTIONS.code, source: true, esm: true } })
  for (const keyword of DOC_KEYWORDS) ajv.addKeyword(keyword)
  // ajv's module is CommonJS: Node hands over `module.exports`, whose `default` is the function.
  const code = standalone.default(ajv, ajv.compile(connectorSchema))
  // ajv writes its runtime helpers as `require("…").default`, even in ES module output: import them instead.
  const helpers = new Map<string, string>()
  const body = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9_]+)"\)\.default/g, (_: string, path: string) => {
    const name = `helper${helpers.size}`
    if (!helpers.has(path)) helpers.set(path, name)
    return `${helpers.get(path)}Fn`
  })
  const imports = [...helpers].map(
    // ajv's helpers are CommonJS with `exports.default`: bundlers hand over the function, Node the exports object.
    ([path, name]) => `import ${name} from ${JSON.stringify(resolve(`${path}.js`))}\nconst ${name}Fn = ${name}.default ?? ${name}`,
  )
  // The pattern engine: ajv writes `re2RegExp(source, flags)` for each pattern (its `code`).
  imports.push(`import { re2RegExp } from ${JSON.stringify(resolve(PATTERN_ENGINE))}`)
  return `// Generated from schemas/connector.schema.json by schemas/validate/standalone.ts. Do not edit.\n${imports.join('\n')}\n${body}`
}
