import aws4 from 'aws4'
import type { AwsSigV4Auth } from '../../../../schemas/types/connector.ts'
import { SwitchboardError } from '../../../errors.ts'
import { emptyMaterial, hasSecretField, noteSecrets, renderCredential } from '../material.ts'
import { bodyBytes } from '../signing/request-parts.ts'
import type { AuthType } from '../types.ts'

/** Headers signed besides Host: what S3 and the other services require to be signed when present. */
const SIGNED = /^(content-type|content-md5|x-amz-.+)$/

/**
 * AWS Signature Version 4 with `aws4`: the request as it will be sent (method, path, query, `Content-Type`,
 * `X-Amz-*` headers, the body's SHA-256) is signed for the method's region and service. What the signer adds
 * (`Authorization`, `X-Amz-Date`, `X-Amz-Content-Sha256` for S3, `X-Amz-Security-Token`, and the `Content-Type`
 * and `Content-Length` it signed) goes on the request; the Host it signed is the one the client sends.
 *
 * @example
 * awsSigV4.apply(s3, { values, fields, request }).headers.Authorization
 * // 'AWS4-HMAC-SHA256 Credential=AKIA…/20250301/us-east-1/s3/aws4_request, SignedHeaders=host;…, Signature=…'
 */
export const awsSigV4: AuthType<AwsSigV4Auth> = {
  type: 'awsSigV4',
  signs: true,
  needsCredentials: (_method, fields) => hasSecretField(fields),
  apply(method, input) {
    const accessKeyId = renderCredential(method.accessKeyId, input)
    const secretAccessKey = renderCredential(method.secretAccessKey, input)
    const sessionToken = method.sessionToken === undefined ? undefined : renderCredential(method.sessionToken, input)
    const region = renderCredential(method.region, input)
    if (!accessKeyId || !secretAccessKey) {
      throw new SwitchboardError(
        428,
        'missing_credentials',
        'The connection has no AWS access key. Connect it and enter the key and secret.',
      )
    }
    if (!region || !/^[a-z0-9-]{1,32}$/.test(region)) {
      throw new SwitchboardError(400, 'invalid_value', `The connection's AWS region "${region ?? ''}" is not a region name like us-east-1.`)
    }
    const { url, headers } = input.request
    const signed: Record<string, string> = {}
    for (const [name, value] of Object.entries(headers)) if (SIGNED.test(name.toLowerCase())) signed[name.toLowerCase()] = value
    const body = bodyBytes(input.request)
    const request = aws4.sign(
      {
        host: url.host,
        path: `${url.pathname}${url.search}`,
        method: input.request.method,
        headers: signed,
        service: method.service,
        region,
        ...(body.byteLength > 0 ? { body: Buffer.from(body) } : {}),
      },
      { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    )
    const material = emptyMaterial()
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (name.toLowerCase() === 'host' || value === undefined) continue
      material.headers[name] = String(value)
    }
    material.credentialHeaders.push('Authorization', ...(sessionToken ? ['X-Amz-Security-Token'] : []))
    noteSecrets(material, input, ...Object.values(material.headers))
    return material
  },
}
