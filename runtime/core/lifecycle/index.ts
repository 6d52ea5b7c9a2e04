export { createConnectionService, type ConnectionService } from './service.ts'
export { keepsCredentials } from './origin.ts'
export { assertTestUrlOnOrigin } from './test-url.ts'
