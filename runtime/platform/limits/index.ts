export { holdFromHeaders, retryAfterMs } from './api-headers.ts'
export { createLocalLimits } from './local-limits.ts'
export type { LimitState, PaceRule, Pacing, Slot } from './types.ts'
