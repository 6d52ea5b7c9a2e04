export type { ConnectorPattern, PatternRefusal } from './compile-pattern.ts'
export { compilePattern, MAX_MATCH_COST, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE } from './compile-pattern.ts'
export { re2RegExp } from './regexp-engine.ts'
