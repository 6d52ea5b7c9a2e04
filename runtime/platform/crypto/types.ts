/**
 * Public types of the credentials encryption. Everything stored is a {@link SealedSecret}; everything that
 * can open one is a {@link KeyRing}.
 */

/**
 * One encrypted credential as it sits in the store: AES-256-GCM, every binary part in base64url.
 *
 * @example
 * const sealed: SealedSecret = { v: 1, kid: 'k_3f9a0c1d2e4b', iv: 'AAECAwQFBgcICQoL', tag: '…', ct: '…' }
 */
export interface SealedSecret {
  /** Record format version. */
  v: 1
  /** Id of the key that sealed it: `k_` + the first 12 hex characters of the key's SHA-256. */
  kid: string
  /** 96-bit initialisation vector, fresh for every encryption. */
  iv: string
  /** 128-bit authentication tag. */
  tag: string
  /** Ciphertext of the JSON-serialised credential values. */
  ct: string
}

/**
 * Whom a secret belongs to. It is bound in as associated data, so a record copied to another connection or
 * user does not decrypt.
 *
 * @example
 * const shared: SecretBinding = { connectionId: 'conn_42' }
 * const personal: SecretBinding = { connectionId: 'conn_42', userId: 'user_7' }
 */
export interface SecretBinding {
  connectionId: string
  /** Set for personal credentials, absent for shared ones. */
  userId?: string
}

/**
 * Where a key comes from: `env` is `SWITCHBOARD_MASTER_KEY`, `previous-env` an entry of
 * `SWITCHBOARD_PREVIOUS_KEYS`, `file` the key file.
 */
export type KeySource = 'env' | 'previous-env' | 'file'

/**
 * What the ring tells about one key. Never the key itself.
 *
 * @example
 * keyRing.keys() // [{ kid: 'k_3f9a0c1d2e4b', current: true, sources: ['file'], createdAt: '2026-11-22T…' }]
 */
export interface KeyInfo {
  kid: string
  current: boolean
  sources: KeySource[]
  /** Set for keys from the key file. */
  createdAt?: string
}

/**
 * Options of {@link KeyRing} construction.
 *
 * @example
 * createKeyRing({ dataDir: './data' })                       // key file ./data/master.keys unless env has a key
 * createKeyRing({ keyFile: '/etc/switchboard/master.keys', env: {} })
 */
export interface KeyRingOptions {
  /** Data directory; the key file defaults to `<dataDir>/master.keys`. Default: `SWITCHBOARD_DATA_DIR` or `./data`. */
  dataDir?: string
  /** Path of the key file. Keep it outside the store file (and ideally outside its backups). */
  keyFile?: string
  /** Environment to read `SWITCHBOARD_MASTER_KEY` and `SWITCHBOARD_PREVIOUS_KEYS` from. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
}

/**
 * One record to re-encrypt.
 *
 * @example
 * const item: SealedItem = { sealed: connection.credentials, aad: { connectionId: connection.id } }
 */
export interface SealedItem {
  sealed: SealedSecret
  aad: SecretBinding
}

/**
 * Result of {@link KeyRing.reencryptAll}.
 *
 * @example
 * const { sealed, count, rotated } = keyRing.reencryptAll(items) // sealed[i] replaces items[i].sealed
 */
export interface ReencryptResult {
  /** New records, in the order of the input. */
  sealed: SealedSecret[]
  /** How many records were re-encrypted (all of them). */
  count: number
  /** How many of those were on another key than the current one. */
  rotated: number
}

/**
 * Holds the master keys and seals/opens credentials. Create it with `createKeyRing()`.
 *
 * @example
 * const sealed = keyRing.seal({ token: 'ghp_…' }, { connectionId: 'conn_42' })
 * const { token } = keyRing.open<{ token: string }>(sealed, { connectionId: 'conn_42' })
 */
export interface KeyRing {
  /** Id of the key new records are sealed with. */
  readonly currentKid: string
  /** Where the current key comes from: `SWITCHBOARD_MASTER_KEY` or the key file. */
  readonly currentSource: 'env' | 'file'
  /** Absolute path of the key file (which need not exist when the key comes from the environment). */
  readonly keyFile: string
  /** The keys the ring holds, without key material. */
  keys(): KeyInfo[]
  /** Encrypts a JSON object (credential values, an OAuth token set) for its owner. */
  seal(plaintext: unknown, aad: SecretBinding): SealedSecret
  /** Decrypts a record; throws `decryption_failed` or `unknown_key`. */
  open<T = unknown>(sealed: SealedSecret, aad: SecretBinding): T
  /** Whether the record is sealed with another key than the current one. */
  needsRotation(sealed: SealedSecret): boolean
  /** Decrypts with whichever key sealed it and encrypts again with the current key. */
  reseal(sealed: SealedSecret, aad: SecretBinding): SealedSecret
  /** Reseals every item; all or nothing (throws on the first record that does not open). */
  reencryptAll(items: Iterable<SealedItem>): ReencryptResult
  /** Generates a new key into the key file and makes it current; returns its id. */
  rotate(): string
  /** Removes keys from the key file (never the current one); returns the ids actually removed. */
  retire(kids: Iterable<string>): string[]
}
