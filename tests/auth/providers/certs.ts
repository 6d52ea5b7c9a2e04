/**
 * Certificates made at test time with `openssl`: a CA, a server certificate for 127.0.0.1, client certificates
 * signed by the CA (one with a passphrase-encrypted PKCS#8 key), and a client certificate from another CA.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Pem {
  cert: string
  key: string
}

export interface TestPki {
  ca: Pem
  server: Pem
  /** Signed by the CA; `key` encrypted with `passphrase`. */
  clientA: Pem & { passphrase: string }
  clientB: Pem
  /** Self-signed: no CA the server trusts. */
  rogue: Pem
}

/**
 * Makes a fresh PKI in a temporary directory (removed afterwards). EC P-256 keys keep it quick.
 *
 * @example
 * const pki = makePki()
 * https.createServer({ ...pki.server, ca: pki.ca.cert, requestCert: true })
 */
export function makePki(passphrase = 'mk-mtls-passphrase-5c1d'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pki-'))
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const read = (name: string) => readFileSync(join(dir, name), 'utf8')
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  try {
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Switchboard Test CA', '-days', '2')
    const signed = (name: string, cn: string, extra: string[] = []) => {
      ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`)
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        ...extra,
      )
    }
    ssl('req', '-x509', ...ec, '-keyout', 'rogue.key', '-out', 'rogue.crt', '-subj', '/CN=rogue-client', '-days', '2')
    signed('server', '127.0.0.1', ['-extfile', writeExt(dir)])
    signed('a', 'client-a')
    signed('b', 'client-b')
    ssl('pkcs8', '-topk8', '-in', 'a.key', '-out', 'a.enc.key', '-v2', 'aes-256-cbc', '-passout', `pass:${passphrase}`)
    return {
      ca: { cert: read('ca.crt'), key: read('ca.key') },
      server: { cert: read('server.crt'), key: read('server.key') },
      clientA: { cert: read('a.crt'), key: read('a.enc.key'), passphrase },
      clientB: { cert: read('b.crt'), key: read('b.key') },
      rogue: { cert: read('rogue.crt'), key: read('rogue.key') },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function writeExt(dir: string): string {
  const path = join(dir, 'server.ext')
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > '${path}'`])
  return path
}

/** PEM as a single-line input field leaves it: line breaks gone (`strip`) or turned into spaces. */
export function oneLine(pem: string, how: 'strip' | 'spaces' = 'strip'): string {
  return pem.trim().replace(/\n/g, how === 'strip' ? '' : ' ')
}
