export {
  type ConnectionUse,
  type ConnectionUseCore,
  createConnectionUse,
  type PassThrough,
  type RequestPreview,
  type Sent,
  type Streamed,
  type UseDeps,
} from './connection-use.ts'
export { assertMaskable, assertWorkflowMay, credentialsForUse, needsCredentials, readCredentials } from './for-use.ts'
export { type RetryPolicy, retryAfterMs, sendWithRetries, streamWithRetries } from './retries.ts'
export { upstreamFailure } from './upstream-failure.ts'
