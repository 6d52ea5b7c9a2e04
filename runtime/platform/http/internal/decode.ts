import { pipeline, Readable } from 'node:stream'
import zlib from 'node:zlib'

const DECODERS: Record<string, ((first: number | undefined) => NodeJS.ReadWriteStream) | undefined> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  // RFC 9110 §8.4.1.2 says zlib-wrapped, but servers send raw deflate too: the first byte tells which.
  deflate: (first) => (first !== undefined && (first & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw()),
  br: () => zlib.createBrotliDecompress(),
  ...('createZstdDecompress' in zlib
    ? { zstd: () => (zlib as unknown as { createZstdDecompress(): NodeJS.ReadWriteStream }).createZstdDecompress() }
    : {}),
}

/**
 * Whether every coding of a Content-Encoding is one the client decodes (gzip, deflate, br, and zstd where Node
 * has it); a body in a coding it does not know is passed on as it came.
 *
 * @example
 * decodable('gzip') // true; decodable('compress') // false; decodable(null) // false
 */
export function decodable(contentEncoding: string | null | undefined): boolean {
  const codings = codingsOf(contentEncoding)
  return codings.length > 0 && codings.every((c) => DECODERS[c] !== undefined)
}

/**
 * The body decoded through every coding of its Content-Encoding, last applied first (RFC 9110 §8.4), as fetch
 * does; the body as it is when there is nothing (or something unknown) to decode.
 *
 * @example
 * const plain = await decodeStream(upstream.body, "gzip")
 */
export async function decodeStream(body: Readable, contentEncoding: string | null | undefined): Promise<Readable> {
  if (!decodable(contentEncoding)) return body
  let current: Readable = body
  for (const coding of codingsOf(contentEncoding).reverse()) {
    const first = coding === 'deflate' ? await peekFirstByte(current) : { value: undefined, stream: current }
    const decoder = DECODERS[coding]!(first.value)
    // pipeline, not pipe: a reset upstream destroys the decoder too, and a consumer that stops reading destroys both.
    current = pipeline(first.stream, decoder, () => {}) as unknown as Readable
  }
  return current
}

function codingsOf(contentEncoding: string | null | undefined): string[] {
  return (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity')
}

/** The first byte of a stream, and a stream that still starts with it. */
async function peekFirstByte(stream: Readable): Promise<{ value: number | undefined; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) return { value: undefined, stream: Readable.from([]) }
  const chunk = first.value as Buffer
  async function* rest() {
    yield chunk
    for (;;) {
      const next = await iterator.next()
      if (next.done) return
      yield next.value as Buffer
    }
  }
  return { value: chunk[0], stream: Readable.from(rest()) }
}
