import { promises as dns } from 'node:dns'
import net from 'node:net'
import { buildConnector } from 'undici'
import { assertAddressAllowed } from '../address-policy.ts'
import { dnsError, timeoutError } from '../errors.ts'
import type { AllowedHosts, LookupFunction } from '../types.ts'

export interface GuardedConnectorOptions {
  allowedHosts: AllowedHosts
  connectTimeoutMs: number
  lookup?: LookupFunction | undefined
  ca?: string | readonly string[] | undefined
  /** A client certificate presented in every TLS handshake of this connector (mTLS). */
  tls?: { cert: string; key: string; passphrase?: string } | undefined
}

const defaultLookup: LookupFunction = (hostname) => dns.lookup(hostname, { all: true, verbatim: true })

// A refused or unreachable address says nothing about the host's other addresses (IPv6 down, IPv4 up).
const TRY_NEXT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT'])

/**
 * The `connect` function of the client's undici Agent: it resolves the host itself, checks *every* answer,
 * and opens the socket to a checked address, so there is no second lookup an attacker could answer
 * differently (DNS rebinding; OWASP SSRF Prevention Cheat Sheet, "DNS pinning"). The Host header stays the
 * name from the URL, and TLS gets it as SNI and for certificate checks. One timer covers DNS and handshakes.
 *
 * @example
 * const agent = new Agent({ connect: createGuardedConnector({ allowedHosts, connectTimeoutMs: 10_000 }) })
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const { allowedHosts, connectTimeoutMs } = options
  const lookup = options.lookup ?? defaultLookup
  // timeout 0 disables undici's own connect timer: ours below also covers the DNS lookup.
  const ca = typeof options.ca === 'string' ? options.ca : options.ca && [...options.ca]
  const connectSocket = buildConnector({ timeout: 0, ...(ca ? { ca } : {}), ...options.tls })

  return (opts, callback) => {
    const port = opts.port === '' ? (opts.protocol === 'https:' ? 443 : 80) : Number(opts.port)
    const hostname = opts.hostname
    let settled = false
    let socket: net.Socket | undefined
    const settle = (error: Error | null, connected?: net.Socket) => {
      if (settled) return void connected?.destroy()
      settled = true
      clearTimeout(timer)
      if (error || !connected) {
        socket?.destroy()
        callback(error ?? new Error('connect failed'), null)
      } else callback(null, connected)
    }
    const timer = setTimeout(() => settle(timeoutError(hostname, 'connect', connectTimeoutMs)), connectTimeoutMs)

    const attempt = (address: string) =>
      new Promise<net.Socket>((resolve, reject) => {
        const servername = opts.servername || (net.isIP(hostname) ? undefined : hostname)
        // undici's types say void, but the connector returns the socket; keep it to destroy it on timeout.
        socket = connectSocket({ ...opts, hostname: address, ...(servername ? { servername } : {}) }, (err, connected) =>
          err ? reject(err) : resolve(connected),
        ) as unknown as net.Socket | undefined
      })

    resolveChecked(hostname, port)
      .then(async (addresses) => {
        let lastError: unknown
        for (const address of addresses) {
          if (settled) return
          try {
            return settle(null, await attempt(address))
          } catch (err) {
            lastError = err
            if (!TRY_NEXT.has((err as { code?: string }).code ?? '')) break
          }
        }
        settle(lastError as Error)
      })
      .catch((err: Error) => settle(err))
  }

  async function resolveChecked(hostname: string, port: number): Promise<string[]> {
    const byName = allowedHosts.allowsHost(hostname, port)
    if (net.isIP(hostname)) {
      if (!byName) assertAddressAllowed(hostname, hostname, allowedHosts)
      return [hostname]
    }
    let answers: readonly { address: string }[]
    try {
      answers = await lookup(hostname)
    } catch (err) {
      throw dnsError(hostname, (err as { code?: string }).code, err)
    }
    if (answers.length === 0) throw dnsError(hostname, 'ENODATA')
    const addresses = answers.map((a) => a.address)
    // Every answer, not just the first: the attacker who controls the zone also controls the order.
    if (!byName) for (const address of addresses) assertAddressAllowed(hostname, address, allowedHosts)
    return addresses
  }
}
