import { createSecretKey, type KeyObject } from 'node:crypto'
import { SwitchboardError } from '../../../errors.ts'
import { deriveKeyId, generateMasterKey, parseMasterKey } from '../master-key.ts'
import { type KeyFileContents, type KeyFileEntry, readKeyFile, writeKeyFile } from './key-file.ts'

/** One key held by the ring. Kept as a KeyObject so that logging the ring cannot print key bytes. */
export interface RingKey {
  key: KeyObject
  inFile: boolean
  fromEnv?: 'env' | 'previous-env'
  createdAt?: string
}

/** Everything the ring knows; mutated only after the key file has been written. */
export interface RingState {
  keys: Map<string, RingKey>
  current: string
  currentSource: 'env' | 'file'
  /** The key file's own `current`: kept while the env key is current, so the file stays valid on its own. */
  fileCurrent?: string
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * Gathers the keys: `SWITCHBOARD_MASTER_KEY` (current when set), `SWITCHBOARD_PREVIOUS_KEYS` (decryption
 * only) and the key file if it exists. Without an env key the key file decides the current key and is
 * created on first start.
 *
 * @example
 * const state = loadKeys(process.env, './data/master.keys')
 */
export function loadKeys(env: Env, keyFile: string): RingState {
  const keys = new Map<string, RingKey>()
  const envText = env.SWITCHBOARD_MASTER_KEY
  const envKid = envText === undefined ? undefined : add(keys, parseMasterKey(envText), { inFile: false, fromEnv: 'env' })
  const previous = (env.SWITCHBOARD_PREVIOUS_KEYS ?? '').split(',').map((part) => part.trim())
  previous.forEach((text, index) => {
    if (text === '') return
    const name = `SWITCHBOARD_PREVIOUS_KEYS (entry ${index + 1})`
    add(keys, parseMasterKey(text, name), { inFile: false, fromEnv: 'previous-env' })
  })

  let file = readKeyFile(keyFile)
  if (file === undefined && envKid === undefined) {
    const created = newKeyFile()
    file = writeKeyFile(keyFile, created, { exclusive: true }) ? created : readKeyFile(keyFile)
    if (file === undefined) {
      throw new SwitchboardError(500, 'key_file_unreadable', `Key file ${keyFile} vanished while starting.`)
    }
  }
  for (const entry of file?.keys ?? []) {
    add(keys, Buffer.from(entry.key, 'base64'), { inFile: true, createdAt: entry.createdAt })
  }
  if (envKid !== undefined) return { keys, current: envKid, currentSource: 'env', fileCurrent: file?.current }
  return { keys, current: file!.current, currentSource: 'file' }
}

/** Adds a key (merging what is known when the same key comes from several places) and returns its id. */
function add(keys: Map<string, RingKey>, bytes: Buffer, from: Omit<RingKey, 'key'>): string {
  const kid = deriveKeyId(bytes)
  const key = createSecretKey(bytes)
  bytes.fill(0)
  const known = keys.get(kid)
  if (known === undefined) {
    keys.set(kid, { key, ...from })
  } else if (!known.key.equals(key)) {
    throw new SwitchboardError(500, 'invalid_master_key', `Two different master keys share the id ${kid}; replace one.`)
  } else {
    known.inFile ||= from.inFile
    known.fromEnv ??= from.fromEnv
    known.createdAt ??= from.createdAt
  }
  return kid
}

/**
 * A key file holding one new key.
 *
 * @example
 * writeKeyFile(path, newKeyFile(), { exclusive: true })
 */
export function newKeyFile(): KeyFileContents {
  const entry = newEntry()
  return { format: 1, current: entry.kid, keys: [entry] }
}

/**
 * A new key as the key file stores it.
 *
 * @example
 * const { kid } = newEntry()
 */
export function newEntry(): KeyFileEntry {
  const bytes = generateMasterKey()
  const entry = { kid: deriveKeyId(bytes), key: bytes.toString('base64'), createdAt: new Date().toISOString() }
  bytes.fill(0)
  return entry
}

/**
 * What the key file should hold for a state: its keys that come from the file, and a current key among them
 * (the ring's when it comes from the file, else the file's own, else the newest). `undefined`: no file keys.
 *
 * @example
 * const contents = fileContents(state)
 */
export function fileContents(state: RingState): KeyFileContents | undefined {
  const entries = [...state.keys].filter(([, ring]) => ring.inFile)
  const keys = entries.map(([kid, ring]) => ({
    kid,
    key: ring.key.export().toString('base64'),
    createdAt: ring.createdAt ?? new Date().toISOString(),
  }))
  if (keys.length === 0) return undefined
  const newest = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!.kid
  const listed = (kid: string | undefined) => kid !== undefined && keys.some((key) => key.kid === kid)
  const current = state.currentSource === 'file' ? state.current : listed(state.fileCurrent) ? state.fileCurrent! : newest
  return { format: 1, current, keys }
}
