export { withAuthQuery } from './auth-query.ts'
export { bearerMaterial } from './bearer/index.ts'
export { emptyMaterial, hasSecretField, isEmpty, noteSecrets, renderCredential } from './material.ts'
export { authTypeOf } from './registry.ts'
export { createTokenEngine, EXPIRED_AT, type TokenEngine, type TokenEngineOptions, type TokenTarget } from './tokens/token-engine.ts'
export type {
  ApplyInput,
  AuthInput,
  AuthMaterial,
  AuthServices,
  AuthType,
  HeldToken,
  OutgoingRequest,
  RenewContext,
  RenewOutcome,
  TokenSource,
} from './types.ts'
