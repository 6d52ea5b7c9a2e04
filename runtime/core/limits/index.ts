export { type Gate, gatedHttp } from './gated-http.ts'
export { createRateLimits, type LimitTarget, type RateLimitsCore, type RateLimitWait, type WaitReason } from './rate-limits.ts'
