import { createHash, createPrivateKey, X509Certificate } from 'node:crypto'
import type { MtlsAuth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, placeAll, renderCredential } from '../material.ts'
import { renderPem } from '../signing/pem.ts'
import type { AuthType, ClientTlsMaterial } from '../types.ts'

/**
 * Mutual TLS: the connection's client certificate and key go to the outbound client as TLS material of this
 * credential alone (a connection pool of its own, never shared with another connection). The key is opened
 * with its passphrase and matched against the certificate first, so a wrong passphrase or a key of another
 * certificate is a plain 400 before anything is sent. Placements add an API key where one is wanted too.
 *
 * @example
 * mtls.apply(method, { values, fields, request }).tls // { cert: '-----BEGIN CERTIFICATE-----…', key: '…' }
 */
export const mtls: AuthType<MtlsAuth> = {
  type: 'mtls',
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const material = emptyMaterial()
    const rendered = placeAll(material, method.placements ?? [], input)
    const cert = renderPem(method.certificate, input, 'client certificate')
    const key = renderPem(method.privateKey, input, 'private key')
    if (cert === undefined || key === undefined) {
      throw new SwitchboardError(428, 'missing_credentials', 'The connection has no client certificate and key. Connect it and enter both.')
    }
    const passphrase = method.passphrase === undefined ? undefined : renderCredential(method.passphrase, input)
    const ca = method.ca === undefined ? undefined : renderPem(method.ca, input, 'CA certificate')
    const tls: ClientTlsMaterial = { cert, key, ...(passphrase ? { passphrase } : {}), ...(ca ? { ca } : {}) }
    checked(tls)
    material.tls = tls
    noteSecrets(material, input, ...rendered)
    material.secrets.push(tls.key)
    return material
  },
}

/** Pairs already checked, by digest: opening a key (PBKDF2 for an encrypted one) costs milliseconds per request. */
const CHECKED = new Set<string>()
const MAX_CHECKED = 256

function checked(tls: ClientTlsMaterial): void {
  const id = createHash('sha256')
    .update(JSON.stringify([tls.cert, tls.key, tls.passphrase ?? null]))
    .digest('hex')
  if (CHECKED.has(id)) return
  checkPair(tls)
  if (CHECKED.size >= MAX_CHECKED) CHECKED.delete(CHECKED.values().next().value as string)
  CHECKED.add(id)
}

function checkPair(tls: ClientTlsMaterial): void {
  let key: ReturnType<typeof createPrivateKey>
  try {
    key = createPrivateKey({ key: tls.key, ...(tls.passphrase ? { passphrase: tls.passphrase } : {}) })
  } catch {
    throw invalid(
      tls.passphrase
        ? 'private key does not open with its passphrase (or is not a PEM key)'
        : 'private key does not open: it is not a PEM key, or it is encrypted and needs its passphrase',
    )
  }
  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(tls.cert)
  } catch {
    throw invalid('client certificate is not a PEM certificate')
  }
  if (!certificate.checkPrivateKey(key)) throw invalid('private key does not belong to its client certificate')
}

function invalid(problem: string): SwitchboardError {
  return new SwitchboardError(400, 'invalid_value', `The connection's ${problem}. Connect again with the right certificate and key.`)
}
