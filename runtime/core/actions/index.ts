export { actionOf, runAction } from './run-action.ts'
export { createRunLog, type NewRun, type RunEntry, type RunLog, type RunPage, type RunQuery, recordAction } from './run-log.ts'
export { CURSOR } from './run-query.ts'
