import { createSecretKey } from 'node:crypto'
import { join, resolve } from 'node:path'
import { isSwitchboardError, SwitchboardError } from '../../errors.ts'
import { encodeAad } from './internal/aad.ts'
import { gcmDecrypt, gcmEncrypt } from './internal/aes-gcm.ts'
import { removeKeyFile, writeKeyFile } from './internal/key-file.ts'
import { fileContents, loadKeys, newEntry, type RingState } from './internal/ring-state.ts'
import { parseRecord, toRecord } from './internal/sealed-record.ts'
import type { KeyRing, KeyRingOptions, SealedItem, SealedSecret, SecretBinding } from './types.ts'

const GENERATE_HINT = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`

/**
 * Creates the key ring that seals and opens credentials with AES-256-GCM. The current key is
 * `SWITCHBOARD_MASTER_KEY` when set, else the key file (default `<dataDir>/master.keys`, created with mode
 * 0600 on first start). Older keys stay available for decryption from `SWITCHBOARD_PREVIOUS_KEYS` and the
 * key file. Bad configuration is refused here, not at the first request.
 *
 * @example
 * const keyRing = createKeyRing({ dataDir: './data' })
 * const sealed = keyRing.seal({ apiKey: 'sk_live_…' }, { connectionId: 'conn_42' })
 * keyRing.open<{ apiKey: string }>(sealed, { connectionId: 'conn_42' }).apiKey
 */
export function createKeyRing(options: KeyRingOptions = {}): KeyRing {
  const env = options.env ?? process.env
  const dataDir = options.dataDir ?? env.SWITCHBOARD_DATA_DIR ?? './data'
  const keyFile = resolve(options.keyFile ?? join(dataDir, 'master.keys'))
  const state = loadKeys(env, keyFile)

  function seal(plaintext: unknown, aad: SecretBinding): SealedSecret {
    const data = encodeAad(aad)
    const bytes = serialise(plaintext)
    try {
      return toRecord(state.current, gcmEncrypt(state.keys.get(state.current)!.key, bytes, data))
    } finally {
      bytes.fill(0)
    }
  }

  function open<T>(sealed: SealedSecret, aad: SecretBinding): T {
    const data = encodeAad(aad)
    const { kid, parts } = parseRecord(sealed)
    const ring = state.keys.get(kid)
    if (ring === undefined) {
      throw new SwitchboardError(
        500,
        'unknown_key',
        `Credentials were sealed with key ${kid}, which this runtime does not have (current key: ${state.current}). ` +
          `Keys come from SWITCHBOARD_MASTER_KEY, SWITCHBOARD_PREVIOUS_KEYS (older keys, comma-separated) and the ` +
          `key file ${keyFile}: supply the missing key through one of them.`,
        { details: { kid } },
      )
    }
    let bytes: Buffer
    try {
      bytes = gcmDecrypt(ring.key, parts, data)
    } catch (cause) {
      throw new SwitchboardError(
        500,
        'decryption_failed',
        `Credentials sealed with key ${kid} failed their integrity check: the record was altered, or it belongs ` +
          `to another connection or user. Connect again to store new credentials.`,
        { details: { kid }, cause },
      )
    }
    try {
      return JSON.parse(bytes.toString('utf8')) as T
    } catch {
      // No cause: V8's JSON errors quote the text, and the text is the secret.
      throw new SwitchboardError(500, 'decryption_failed', `Credentials sealed with key ${kid} are not JSON.`, {
        details: { kid },
      })
    } finally {
      bytes.fill(0)
    }
  }

  // Tolerates a malformed record (read from a store): `open` is where it gets its precise error.
  const needsRotation = (sealed: SealedSecret): boolean => (sealed as Partial<SealedSecret> | null)?.kid !== state.current
  const reseal = (sealed: SealedSecret, aad: SecretBinding): SealedSecret => seal(open(sealed, aad), aad)

  function reencryptAll(items: Iterable<SealedItem>) {
    const sealed: SealedSecret[] = []
    let rotated = 0
    for (const { sealed: record, aad } of items) {
      try {
        if (needsRotation(record)) rotated += 1
        sealed.push(reseal(record, aad))
      } catch (cause) {
        if (!isSwitchboardError(cause)) throw cause
        const index = sealed.length
        const message = `Re-encryption stopped at record ${index + 1}; nothing was changed. ${cause.message}`
        throw new SwitchboardError(cause.status, cause.code, message, {
          details: { index, connectionId: aad?.connectionId, userId: aad?.userId },
          cause,
        })
      }
    }
    return { sealed, count: sealed.length, rotated }
  }

  function rotate(): string {
    if (state.currentSource === 'env') {
      throw new SwitchboardError(
        409,
        'current_key_from_env',
        `The current key comes from SWITCHBOARD_MASTER_KEY, so it cannot be replaced from here. Generate a new ` +
          `key (${GENERATE_HINT}), set it as SWITCHBOARD_MASTER_KEY, add the old one to SWITCHBOARD_PREVIOUS_KEYS ` +
          `(comma-separated), restart, then re-encrypt the credentials.`,
      )
    }
    const entry = newEntry()
    const keys = new Map(state.keys)
    keys.set(entry.kid, {
      key: createSecretKey(Buffer.from(entry.key, 'base64')),
      inFile: true,
      createdAt: entry.createdAt,
    })
    const next: RingState = { ...state, keys, current: entry.kid }
    writeKeyFile(keyFile, fileContents(next)!, { exclusive: false })
    Object.assign(state, next) // only once the file holds the key: a failed write leaves the ring as it was
    return entry.kid
  }

  function retire(kids: Iterable<string>): string[] {
    const wanted = [...new Set(kids)]
    for (const kid of wanted) {
      if (kid === state.current) {
        throw new SwitchboardError(409, 'key_in_use', `Key ${kid} is the current key and cannot be retired; rotate first.`)
      }
      const from = state.keys.get(kid)?.fromEnv
      if (from !== undefined) {
        const variable = from === 'env' ? 'SWITCHBOARD_MASTER_KEY' : 'SWITCHBOARD_PREVIOUS_KEYS'
        throw new SwitchboardError(409, 'key_from_env', `Key ${kid} comes from ${variable}; remove it there to retire it.`)
      }
    }
    const removed = wanted.filter((kid) => state.keys.get(kid)?.inFile === true)
    if (removed.length === 0) return []
    const keys = new Map(state.keys)
    for (const kid of removed) keys.delete(kid)
    const contents = fileContents({ ...state, keys })
    if (contents === undefined) removeKeyFile(keyFile)
    else writeKeyFile(keyFile, contents, { exclusive: false })
    Object.assign(state, { keys, fileCurrent: contents?.current })
    return removed
  }

  return {
    get currentKid() {
      return state.current
    },
    get currentSource() {
      return state.currentSource
    },
    keyFile,
    keys: () =>
      [...state.keys].map(([kid, ring]) => ({
        kid,
        current: kid === state.current,
        sources: [...(ring.fromEnv ? [ring.fromEnv] : []), ...(ring.inFile ? (['file'] as const) : [])],
        ...(ring.createdAt === undefined ? {} : { createdAt: ring.createdAt }),
      })),
    seal,
    open,
    needsRotation,
    reseal,
    reencryptAll,
    rotate,
    retire,
  }
}

/** Credentials are a JSON object (field values or an OAuth token set); errors never quote them. */
function serialise(plaintext: unknown): Buffer {
  if (typeof plaintext !== 'object' || plaintext === null || Array.isArray(plaintext)) {
    throw new SwitchboardError(500, 'invalid_plaintext', 'Only a JSON object (credential values or a token set) can be sealed.')
  }
  let text: string | undefined
  try {
    text = JSON.stringify(plaintext)
  } catch {
    text = undefined
  }
  if (text === undefined) {
    throw new SwitchboardError(500, 'invalid_plaintext', 'The credentials cannot be serialised as JSON.')
  }
  return Buffer.from(text, 'utf8')
}
