export { runAction, upstreamFailure } from './run-action.ts'
export { sendWithRetries, streamWithRetries, retryAfterMs, type RetryPolicy } from './send.ts'
export { createRunLog, recordAction, type RunLog, type RunEntry, type NewRun } from './run-log.ts'
