import { placeholders, renderTemplate } from '../../../../schemas/template/index.ts'
import { SwitchboardError } from '../../../errors.ts'
import { isEmpty } from '../material.ts'
import type { AuthInput } from '../types.ts'

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

/**
 * A PEM template rendered and read with {@link readPem}. Unlike other credentials, its value may keep line breaks
 * (a `multiline` field): it goes into a TLS handshake or a signer, never into a header. A required field left empty
 * is a 428 naming it; an optional one gives `undefined`.
 *
 * @example
 * renderPem('{{privateKey}}', input, 'private key') // '-----BEGIN PRIVATE KEY-----\n…'
 */
export function renderPem(template: string, input: AuthInput, what: string): string | undefined {
  for (const { path } of placeholders(template)) {
    const key = path[0]!
    if (!isEmpty(input.values[key])) continue
    const field = input.fields.get(key)
    if (!field?.required) return undefined
    throw new SwitchboardError(
      428,
      'missing_credentials',
      `The connection has no value for "${field.label}" (${key}). Connect it again and fill it in.`,
      {
        details: { field: key },
      },
    )
  }
  return readPem(
    renderTemplate(template, ([key]) => input.values[key!]),
    what,
  )
}

function invalidPem(what: string, problem: string): SwitchboardError {
  return new SwitchboardError(400, 'invalid_value', `The connection's ${what} ${problem}. Connect again with the right value.`)
}
