import { createBoundedCache } from '../../../platform/cache/index.ts'
import { secretVariants } from './text-masker.ts'

type Needle = { bytes: Buffer; fill: number }

/** The byte forms of a set of secrets, worked out once per set for a while (every proxied call needs them). */
const NEEDLES = createBoundedCache<readonly Needle[]>({ maxEntries: 2_000, maxAgeMs: 60_000 })

function needlesOf(secrets: readonly string[]): readonly Needle[] {
  const key = [...new Set(secrets)].sort().join('\u0000')
  return (
    NEEDLES.get(key) ??
    NEEDLES.set(
      key,
      secretVariants(secrets).map((form) => ({ bytes: Buffer.from(form, 'utf8'), fill: /^[0-9]+$/.test(form) ? 0x39 : 0x2a })),
    )
  )
}

/**
 * Masks secrets in a byte stream, chunk by chunk: every form of every secret (see `secretForms`) becomes as
 * many `*` as it has bytes (so a Content-Length stays true, and a header value stays valid), except that a
 * form made of digits alone becomes as many `9`s, so a number echoed in JSON stays a number.
 *
 * A secret split across two chunks is caught by always holding back the last `longest form - 1` bytes until
 * more arrive or the stream ends. Always, whatever they are: holding back only what looks like the start of a
 * secret would let a caller who controls part of an echo learn, from when bytes arrive, whether a guess is a
 * prefix of the secret.
 *
 * @example
 * const masker = createByteMasker(['s3cr3t-value'])
 * masker.push(bytes('token=s3c')); masker.push(bytes('r3t-value!')); masker.flush() // 'token=************!' in all
 */
export function createByteMasker(secrets: readonly string[]) {
  const needles = needlesOf(secrets)
  const keep = Math.max(0, (needles[0]?.bytes.length ?? 0) - 1)
  let carry: Buffer = Buffer.alloc(0)

  /** Masks every whole match in `buffer`, in place, leftmost (and longest) first. */
  const maskAll = (buffer: Buffer): void => {
    for (let at = 0; at < buffer.length; ) {
      let found = -1
      let size = 0
      let fill = 0x2a
      for (const needle of needles) {
        const index = buffer.indexOf(needle.bytes, at)
        if (index !== -1 && (found === -1 || index < found || (index === found && needle.bytes.length > size))) {
          found = index
          size = needle.bytes.length
          fill = needle.fill
        }
      }
      if (found === -1) return
      buffer.fill(fill, found, found + size)
      at = found + size
    }
  }

  return {
    /** Whether there is anything to mask at all. */
    active: needles.length > 0,
    /** Masks a chunk; returns the bytes that are final (possibly none yet). Their number depends only on lengths. */
    push(chunk: Uint8Array): Uint8Array {
      if (needles.length === 0) return chunk
      const buffer = Buffer.concat([carry, chunk])
      maskAll(buffer)
      const cut = Math.max(0, buffer.length - keep)
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
