export {
  createConnectionUse,
  type ConnectionUse,
  type ConnectionUseCore,
  type PassThrough,
  type RequestPreview,
  type Sent,
  type Streamed,
  type UseDeps,
} from './connection-use.ts'
export { assertMaskable, assertWorkflowMay, credentialsForUse, needsCredentials, readCredentials } from './for-use.ts'
export { retryAfterMs, sendWithRetries, streamWithRetries, type RetryPolicy } from './retries.ts'
export { upstreamFailure } from './upstream-failure.ts'
