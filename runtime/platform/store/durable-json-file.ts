import { readFile } from 'node:fs/promises'
import type { Adapter } from 'lowdb'
import { SwitchboardError } from '../../errors.ts'
import { writeFileDurably } from './internal/durable-write.ts'
import { parseStoreFile } from './internal/parse-store-file.ts'
import { serializeStoreFile } from './internal/serialize-store-file.ts'
import type { StoreFile } from './types.ts'

/**
 * A lowdb adapter for the store file. Unlike lowdb's own file adapters it fsyncs (temp file, fsync, rename,
 * fsync the directory), so a resolved `write` survives a crash or power cut, and its `read` refuses a damaged
 * or newer-format file with a SwitchboardError ('store_damaged' / 'store_format_unsupported') instead of
 * handing lowdb something it would treat as empty.
 *
 * @example
 * const file = new DurableJsonFile('/var/lib/switchboard/store.json')
 * const db = new Low<StoreFile>(file, { format: CURRENT_STORE_FORMAT, collections: {} })
 * await db.read()
 */
export class DurableJsonFile implements Adapter<StoreFile> {
  constructor(
    readonly path: string,
    private readonly options: { onWritten?: (text: string) => void } = {},
  ) {}

  /** The parsed file, or `null` when it does not exist. */
  async read(): Promise<StoreFile | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new SwitchboardError(500, 'store_unreadable', `Cannot read ${this.path}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    return parseStoreFile(this.path, text)
  }

  async write(data: StoreFile): Promise<void> {
    // Serialised before the first await: the snapshot is the data as it is now, whatever changes meanwhile.
    const text = serializeStoreFile(data)
    await writeFileDurably(this.path, text)
    this.options.onWritten?.(text)
  }
}
