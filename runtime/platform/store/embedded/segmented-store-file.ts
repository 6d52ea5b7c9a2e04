import type { Adapter } from 'lowdb'
import { DurableJsonFile } from '../durable-json-file.ts'
import { writeFileDurably } from '../internal/durable-write.ts'
import { recordText } from '../internal/serialize-store-file.ts'
import type { StoreFile } from '../types.ts'

/** Records per block: a change re-renders about this many records' cached texts, whatever the store's size. */
const BLOCK = 64
const COMMA = Buffer.from(',')

interface Block {
  ids: string[]
  /** The block's records as they stand in the file; undefined once one of them changed. */
  bytes: Buffer | undefined
}

/** One collection's records in file order, cut into blocks; an id's block is found without a search. */
class Segments {
  readonly blocks: Block[] = []
  readonly #where = new Map<string, Block>()

  constructor(ids: Iterable<string>) {
    for (const id of ids) this.#append(id)
  }

  changed(id: string, exists: boolean): void {
    const block = this.#where.get(id)
    if (block === undefined) {
      if (exists) this.#append(id)
      return
    }
    block.bytes = undefined
    if (exists) return
    block.ids.splice(block.ids.indexOf(id), 1)
    this.#where.delete(id)
    if (block.ids.length === 0) this.blocks.splice(this.blocks.indexOf(block), 1)
  }

  #append(id: string): void {
    let last = this.blocks.at(-1)
    if (last === undefined || last.ids.length >= BLOCK) this.blocks.push((last = { ids: [], bytes: undefined }))
    last.ids.push(id)
    last.bytes = undefined
    this.#where.set(id, last)
  }
}

/**
 * The embedded engine's lowdb adapter. It writes what `serializeStoreFile` writes, byte for byte (a new record
 * goes last, a changed one stays where it was, as in the object the records live in), but keeps the file's
 * bytes in blocks of records and re-renders only the blocks the engine reports changed. A commit then costs
 * a few blocks and one copy of the bytes, not a walk through every record and an encoding of the whole file:
 * that walk is what kept the event loop busy for tens of milliseconds per commit at 10,000 records, and what
 * capped group commit's throughput. The durable write itself is the shared one (temp file, fsync, rename,
 * directory fsync); reading is `DurableJsonFile`'s.
 *
 * @example
 * const file = new SegmentedStoreFile(path, loaded.data, { onWritten: (bytes) => backup.written(bytes) })
 * const db = new Low(file, loaded.data)
 * tables.commit(changes); file.changed('connections', 'c1', true); await db.write()
 */
export class SegmentedStoreFile implements Adapter<StoreFile> {
  readonly path: string
  readonly #segments = new Map<string, Segments>()
  readonly #onWritten: ((parts: readonly Uint8Array[]) => void) | undefined

  constructor(path: string, data: StoreFile, options: { onWritten?: (parts: readonly Uint8Array[]) => void } = {}) {
    this.path = path
    this.#onWritten = options.onWritten
    for (const [name, records] of Object.entries(data.collections))
      if (records) this.#segments.set(name, new Segments(Object.keys(records)))
  }

  read(): Promise<StoreFile | null> {
    return new DurableJsonFile(this.path).read()
  }

  /** Marks a record changed: stored now (`exists`), or deleted. Call it after changing `data`, before the write. */
  changed(collection: string, id: string, exists: boolean): void {
    const segments = this.#segments.get(collection)
    if (segments === undefined) this.#segments.set(collection, new Segments(exists ? [id] : []))
    else segments.changed(id, exists)
  }

  /** The file's bytes as `data` stands now, in pieces (synchronous: the snapshot a write takes before its first await). */
  render(data: StoreFile): Buffer[] {
    const parts: Buffer[] = []
    let text = `{\n  "format": ${JSON.stringify(data.format)},\n  "collections": {`
    let firstName = true
    for (const [name, records] of Object.entries(data.collections)) {
      if (records === undefined) continue
      text += `${firstName ? '' : ','}\n    ${JSON.stringify(name)}: {`
      firstName = false
      let firstBlock = true
      for (const block of this.#segments.get(name)?.blocks ?? []) {
        block.bytes ??= Buffer.from(block.ids.map((id) => `\n      ${JSON.stringify(id)}: ${recordText(records[id]!)}`).join(','))
        parts.push(firstBlock ? Buffer.from(text) : COMMA, block.bytes)
        text = ''
        firstBlock = false
      }
      text += firstBlock ? '}' : '\n    }'
    }
    parts.push(Buffer.from(`${text}${firstName ? '}' : '\n  }'}\n}\n`))
    return parts
  }

  async write(data: StoreFile): Promise<void> {
    // Written as the pieces it is made of (one writev): joining them first copied the whole file on every write.
    const parts = this.render(data)
    await writeFileDurably(this.path, parts)
    this.#onWritten?.(parts)
  }
}
