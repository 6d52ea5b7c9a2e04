import { SwitchboardError } from '../../../errors.ts'

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----/gs

/**
 * PEM text as OpenSSL reads it, from what a person could enter: field values are single-line, so a pasted
 * certificate or key usually arrives with its line breaks gone, turned into spaces or written as `\n`. Each
 * `-----BEGIN …-----` block is rebuilt with its base64 wrapped at 64 characters (RFC 7468); several blocks (a
 * certificate chain) stay in order. Legacy encrypted keys (`Proc-Type` headers) cannot be rebuilt: convert them
 * with `openssl pkcs8 -topk8`.
 *
 * @example
 * readPem('-----BEGIN CERTIFICATE----- MIIB… -----END CERTIFICATE-----', 'Client certificate')
 * // '-----BEGIN CERTIFICATE-----\nMIIB…\n-----END CERTIFICATE-----\n'
 */
export function readPem(value: string, what: string): string {
  const text = value.replace(/\\n/g, '\n')
  const blocks: string[] = []
  for (const [, label, body] of text.matchAll(BLOCK)) {
    if (/Proc-Type:/i.test(body!))
      throw invalidPem(what, 'is a legacy encrypted key; convert it with `openssl pkcs8 -topk8` and enter that')
    const base64 = body!.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw invalidPem(what, 'has characters that are not base64 between its BEGIN and END lines')
    blocks.push(`-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`)
  }
  if (blocks.length === 0) throw invalidPem(what, 'is not PEM: paste it with its -----BEGIN …----- and -----END …----- lines')
  return blocks.join('')
}

function invalidPem(what: string, problem: string): SwitchboardError {
  return new SwitchboardError(400, 'invalid_value', `The connection's ${what} ${problem}. Connect again with the right value.`)
}
