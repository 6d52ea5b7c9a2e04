/**
 * Validation problems are data, never a joined string: the designer maps `path` to the input it belongs
 * to, the CLI prints it beside the file name. Their shape is part of the API contract (`api.schema.json`).
 */
export type { ValidationProblem, ValidationResult } from '../types/api.ts'
