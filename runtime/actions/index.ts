export { runAction } from './run-action.ts'
export { sendWithRetries, retryAfterMs, type RetryPolicy } from './send.ts'
