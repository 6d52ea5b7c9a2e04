import type { SchemeReport } from './auth.ts'

/** What an import made of a spec, and what it could not map: printed by the CLI, answered by the API. */
export interface OpenApiReport {
  /** `OpenAPI 3.1.0`, `Swagger 2.0`. */
  format: string
  title: string
  /** Operations in the spec. */
  operations: number
  /** Operations that `--include`/`--exclude` let through. */
  selected: number
  /** Actions in the connector. */
  actions: number
  baseUrl: string
  /** Keys of the connector's fields (server variables, a base URL to fill in). */
  fields: string[]
  schemes: SchemeReport[]
  /** The connector's auth methods, `id (type)`. */
  authMethods: string[]
  /** The test request chosen and why, or why there is none. */
  test: { method?: string; path?: string; reason: string }
  /** Operations that became no action, and why (the first 1,000; `notMappedCount` counts all). */
  notMapped: Array<{ operation: string; reason: string }>
  notMappedCount: number
  /** Actions made with something left out, and what. */
  partial: Array<{ operation: string; action: string; notes: string[] }>
  /** About the connector as a whole: servers, security, what the validator refused. */
  notes: string[]
}
