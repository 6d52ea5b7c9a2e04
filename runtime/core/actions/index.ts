export { runAction } from './run-action.ts'
export { createRunLog, recordAction, type RunLog, type RunEntry, type NewRun } from './run-log.ts'
