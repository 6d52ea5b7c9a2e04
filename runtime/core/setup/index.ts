export { type Bound, bindingId, boundFor } from './bindings.ts'
export { type NeededTool, neededTools } from './needed.ts'
export { type ChosenBy, type Resolution, resolve, setupConnection } from './resolve.ts'
export { type AppSetupService, createAppSetup, type SetupDeps } from './service.ts'
