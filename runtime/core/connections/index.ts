export { assertNameFree, connectionName, hasAllSecrets, loadConnection, type Actor, type ConnectionDeps, type Loaded } from './context.ts'
export { credentialId, credentialOwner, openCredentials, putCredentials, dropCredentials } from './credentials.ts'
export { checkValues, MIN_SECRET_LENGTH } from './field-values.ts'
export { connectUrl, toView } from './view.ts'
