export {
  type Actor,
  assertNameFree,
  type ConnectionDeps,
  connectionName,
  hasAllSecrets,
  type Loaded,
  loadConnection,
  nameKey,
  nameTaken,
} from './context.ts'
export { credentialId, credentialOwner, dropCredentials, openCredentials, putCredentials } from './credentials.ts'
export { checkValues, MIN_SECRET_LENGTH } from './field-values.ts'
export { connectUrl, isUsable, toView } from './view.ts'
