export { componentSchemas } from './components.ts'
export { type DeclaredRoute, HOW_TO_DESCRIBE, NOT_IN_API, openApiDocument, undescribedRoutes } from './document.ts'
export { groupOf, openApiPath } from './operation.ts'
