import { compilePattern } from './compile-pattern.ts'

/**
 * ajv's `code.regExp` engine on RE2, so that `pattern` and `patternProperties` in every schema ajv
 * compiles run in linear time like the patterns of fields. ajv passes the `u` flag, which RE2 needs
 * not: it always reads code points. A pattern RE2 cannot run fails the schema's compilation, loudly;
 * connector definitions are validated before their schemas are ever compiled.
 *
 * @example
 * new Ajv2020({ code: { regExp: re2RegExp } })
 */
export const re2RegExp = Object.assign(
  (source: string): { test(value: string): boolean; toString(): string } => {
    const pattern = compilePattern(source)
    if (!pattern.ok) throw new Error(`The schema pattern ${JSON.stringify(source)} ${pattern.reason}`)
    // ajv shares compiled patterns between keywords by their `toString()`: it must tell them apart.
    return { test: pattern.test, toString: () => `/${source}/u` }
  },
  // What ajv would write for this engine in standalone code, which Switchboard does not generate.
  { code: 're2RegExp' },
)
