export { keepsCredentials } from '../connections/origin.ts'
export { type ConnectionService, createConnectionService } from './service.ts'
export { assertTestUrlOnOrigin } from './test-url.ts'
export { upgradeConnectionNames } from './upgrade.ts'
