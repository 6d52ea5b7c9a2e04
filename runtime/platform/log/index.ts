export {
  batchedDestination,
  createLogger,
  type LogDestination,
  type Logger,
  type LoggerOptions,
  REDACTED_IN,
  REDACTED_KEYS,
} from './create-logger.ts'
export { prettyLine } from './pretty.ts'
