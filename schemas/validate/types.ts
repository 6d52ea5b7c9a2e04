/**
 * One problem found in a document. Errors are data, never a joined string: the designer maps `path`
 * to the input it belongs to, the CLI prints it beside the file name.
 */
export interface ValidationProblem {
  /** JSON pointer (RFC 6901) into the document; `""` is the document itself. */
  path: string
  /** What kind of rule failed: the JSON Schema keyword, or a semantic rule name like `unknownPlaceholder`. */
  keyword: string
  /** Plain words naming the place and what to fix. Never contains a secret value. */
  message: string
}

/** The answer of every validator. */
export interface ValidationResult {
  valid: boolean
  errors: ValidationProblem[]
  warnings: ValidationProblem[]
}
