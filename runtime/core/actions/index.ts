export { actionOf, runAction } from './run-action.ts'
export { createRunLog, type NewRun, type RunEntry, type RunLog, recordAction } from './run-log.ts'
