import type { Options } from 'ajv'
import { re2RegExp } from '../pattern/index.ts'

/**
 * How every schema of ours is compiled, at start (`compile.ts`) and ahead of time into standalone code
 * (`standalone.ts`, for the designer), so that both give the same answers.
 */
export const SCHEMA_AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  discriminator: true,
  strict: true,
  // `required` inside if/then/oneOf names properties declared beside them, which is what we want.
  strictRequired: false,
  allowUnionTypes: true,
  // Our schemas' patterns check what people send, so they run on RE2 like connectors' patterns do.
  code: { regExp: re2RegExp },
} satisfies Options

/** Documentation-only keywords: anti-examples are test data and docs, not validation rules. */
export const DOC_KEYWORDS = [{ keyword: 'x-anti-examples', schemaType: 'array' }] as const
