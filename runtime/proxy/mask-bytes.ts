import { secretVariants } from '../requests/mask.ts'

/**
 * Masks secrets in a byte stream, chunk by chunk: each secret (and its URL-, form- and JSON-encoded
 * forms) becomes as many `*` as it has bytes, so a Content-Length stays true. A secret split across
 * two chunks is caught by holding back a chunk's tail while it reads like the start of a secret.
 * Upstreams that echo what they received (debug endpoints, token info) would otherwise hand a
 * shared connection's credentials to every member who can call the proxy.
 *
 * @example
 * const masker = createByteMasker(['s3cr3t'])
 * masker.push(bytes('token=s3c')); masker.push(bytes('r3t!')); masker.flush() // 'token=******!' in all
 */
export function createByteMasker(secrets: readonly string[]) {
  const needles = secretVariants(secrets).map((v) => Buffer.from(v, 'utf8')).sort((a, b) => b.length - a.length)
  const keep = Math.max(0, (needles[0]?.length ?? 0) - 1)
  let carry: Buffer = Buffer.alloc(0)

  /** Masks every whole match in `buffer`, in place, leftmost (and longest) first. */
  const maskAll = (buffer: Buffer): void => {
    for (let at = 0; at < buffer.length;) {
      let found = -1
      let size = 0
      for (const needle of needles) {
        const index = buffer.indexOf(needle, at)
        if (index !== -1 && (found === -1 || index < found || (index === found && needle.length > size))) {
          found = index
          size = needle.length
        }
      }
      if (found === -1) return
      buffer.fill(0x2a, found, found + size)
      at = found + size
    }
  }

  /**
   * Where the buffer's tail starts to look like the beginning of a secret (its length when it does
   * not): only that much is held back, so a stream that trickles (server-sent events) is not delayed.
   */
  const partialMatchAt = (buffer: Buffer): number => {
    for (let at = Math.max(0, buffer.length - keep); at < buffer.length; at++) {
      const tail = buffer.subarray(at)
      if (needles.some((needle) => needle.length > tail.length && needle[0] === tail[0] && needle.subarray(0, tail.length).equals(tail))) return at
    }
    return buffer.length
  }

  return {
    /** Whether there is anything to mask at all. */
    active: needles.length > 0,
    /** Masks a chunk; returns the bytes that are final (possibly none yet). */
    push(chunk: Uint8Array): Uint8Array {
      if (needles.length === 0) return chunk
      const buffer = Buffer.concat([carry, chunk])
      maskAll(buffer)
      const cut = partialMatchAt(buffer)
      carry = Buffer.from(buffer.subarray(cut))
      return buffer.subarray(0, cut)
    },
    /** The bytes held back, at the end of the stream. */
    flush(): Uint8Array {
      const rest = carry
      carry = Buffer.alloc(0)
      return rest
    },
  }
}
