export { createKeyRing } from './key-ring.ts'
export { deriveKeyId, generateMasterKey, parseMasterKey } from './master-key.ts'
export { type RotateKeysResult, rotateKeys } from './rotation.ts'
export type {
  KeyInfo,
  KeyRing,
  KeyRingOptions,
  KeySource,
  ReencryptResult,
  SealedItem,
  SealedSecret,
  SecretBinding,
} from './types.ts'
