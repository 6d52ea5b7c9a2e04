import type { ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import apiSchema from '../api.schema.json' with { type: 'json' }
import connectorSchema from '../connector.schema.json' with { type: 'json' }
import { re2RegExp } from '../pattern/index.ts'
import { DOC_KEYWORDS, SCHEMA_AJV_OPTIONS } from './ajv-options.ts'

/**
 * The one ajv instance: every schema is compiled here, once, and shared by the runtime and the CLI. The
 * designer runs the connector schema compiled ahead of time with the same options (`standalone.ts`).
 */
const ajv = new Ajv2020(SCHEMA_AJV_OPTIONS)
for (const keyword of DOC_KEYWORDS) ajv.addKeyword(keyword)

/** Compiled validator of `connector.schema.json`. */
export const validateConnectorSchema: ValidateFunction = ajv.compile(connectorSchema)

ajv.addSchema(apiSchema)

/** The schemas themselves, for consumers that read titles, descriptions and examples. */
export { apiSchema, connectorSchema }

const apiValidators = new Map<string, ValidateFunction>()

/**
 * The validator of one definition of `api.schema.json`, compiled on first use and kept.
 *
 * @example
 * const check = apiValidator('CreateConnection')
 * if (!check(body)) throw …toProblems(check.errors)
 */
export function apiValidator(name: string): ValidateFunction {
  let validate = apiValidators.get(name)
  if (!validate) {
    validate = ajv.getSchema(`${apiSchema.$id}#/$defs/${name}`)
    if (!validate) throw new Error(`api.schema.json has no definition "${name}"`)
    apiValidators.set(name, validate)
  }
  return validate
}

/**
 * Compiles an extra schema (API bodies, action inputs) on the shared instance.
 *
 * @example
 * const check = compileSchema({ type: 'object', properties: { name: { type: 'string' } } })
 */
export function compileSchema(schema: object): ValidateFunction {
  return ajv.compile(schema)
}

/**
 * Action inputs are checked by a second instance: it fills in declared defaults (`useDefaults`) and
 * knows the few formats the input subset allows. Compiled validators are kept by schema text, since
 * custom connectors are read afresh on every request. Their patterns come from connector definitions,
 * so they run on RE2, in linear time, like every other pattern.
 */
const inputsAjv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, code: { regExp: re2RegExp } })
// On V8 this shape takes quadratic time on `a@` and a long run of dots; on RE2 it is linear.
const EMAIL = re2RegExp('^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$')
inputsAjv.addFormat('email', (value: string) => EMAIL.test(value))
inputsAjv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/)
inputsAjv.addFormat('date-time', { validate: (value: string) => /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)) })
inputsAjv.addFormat('uri', { validate: (value: string) => URL.canParse(value) })
inputsAjv.addFormat('multiline', true)
const inputValidators = new Map<string, ValidateFunction>()

/**
 * The validator of an action's input schema, compiled once per distinct schema.
 *
 * @example
 * const check = inputValidator(action.input ?? { type: 'object' })
 * if (!check(inputs)) throw …toProblems(check.errors)
 */
export function inputValidator(schema: object): ValidateFunction {
  // By the schema object first when it cannot change (the catalogue freezes definitions): a connector's definition
  // is the same object from one run to the next, and its text (the key below) costs as much as a small validation.
  const known = inputValidatorsBySchema.get(schema)
  if (known) return known
  const key = JSON.stringify(schema)
  let validate = inputValidators.get(key)
  if (!validate) {
    validate = inputsAjv.compile(schema)
    if (inputValidators.size > 500) inputValidators.clear()
    inputValidators.set(key, validate)
  }
  if (Object.isFrozen(schema)) inputValidatorsBySchema.set(schema, validate)
  return validate
}

const inputValidatorsBySchema = new WeakMap<object, ValidateFunction>()
