/**
 * New auth methods of every type the schema has: the credential fields a person usually needs and the
 * settings that refer to them, so a method added by one click is valid once its URLs are filled in.
 */
import type { Obj } from './draft-doc.ts'

type Field = { key: string; label: string; type: string; required: boolean }
/** Picks a field key nobody uses yet. */
type Keyer = (key: string) => string

const text = (key: string, label: string): Omit<Field, 'key'> & { base: string } => ({ base: key, label, type: 'text', required: true })
const secret = (key: string, label: string): Omit<Field, 'key'> & { base: string } => ({ base: key, label, type: 'secret', required: true })

/** Per type: its id, label, fields, and the settings over them (`$name` is the field's key). */
const SKELETONS: Record<string, { id: string; label: string; fields: Array<ReturnType<typeof text>>; settings: Obj }> = {
  oauth2: {
    id: 'oauth',
    label: 'OAuth2',
    fields: [],
    settings: { grant: 'authorization_code', authorizeUrl: '', tokenUrl: '', scopes: [] },
  },
  none: { id: 'public', label: 'No authentication', fields: [], settings: {} },
  jwt: {
    id: 'jwt',
    label: 'Signed JWT',
    fields: [text('issuer', 'Issuer'), secret('privateKey', 'Private key (PEM)')],
    settings: { algorithm: 'RS256', key: '{{$privateKey}}', claims: { iss: '{{$issuer}}' } },
  },
  awsSigV4: {
    id: 'accessKey',
    label: 'AWS access key',
    fields: [text('accessKeyId', 'Access key ID'), secret('secretAccessKey', 'Secret access key'), text('region', 'Region')],
    settings: { accessKeyId: '{{$accessKeyId}}', secretAccessKey: '{{$secretAccessKey}}', region: '{{$region}}', service: 'execute-api' },
  },
  hmac: {
    id: 'hmac',
    label: 'Signed requests',
    fields: [text('apiKey', 'API key'), secret('secretKey', 'Secret key')],
    settings: {
      key: '{{$secretKey}}',
      sign: ['timestamp', 'method', 'pathWithQuery', 'body'],
      timestamp: { unit: 's', in: 'header', name: 'X-Timestamp' },
      signature: { in: 'header', name: 'X-Signature' },
      placements: [{ in: 'header', name: 'X-Api-Key', value: '{{$apiKey}}' }],
    },
  },
  oauth1: {
    id: 'oauth1',
    label: 'OAuth 1.0a',
    fields: [text('consumerKey', 'Consumer key'), secret('consumerSecret', 'Consumer secret')],
    settings: { consumerKey: '{{$consumerKey}}', consumerSecret: '{{$consumerSecret}}' },
  },
  mtls: {
    id: 'certificate',
    label: 'Client certificate',
    fields: [secret('certificate', 'Certificate (PEM)'), secret('privateKey', 'Private key (PEM)')],
    settings: { certificate: '{{$certificate}}', privateKey: '{{$privateKey}}' },
  },
  session: {
    id: 'login',
    label: 'Username and password (login)',
    fields: [text('username', 'Username'), secret('password', 'Password')],
    settings: {
      login: { method: 'POST', path: '/login', body: { username: '{{$username}}', password: '{{$password}}' } },
      capture: { token: { from: 'body', pointer: '/token' } },
      placements: [{ in: 'header', name: 'Authorization', value: 'Bearer {{session.token}}' }],
    },
  },
}

/** Replaces `{{$name}}` with the key the field got, everywhere in a value. */
function fill(value: unknown, keys: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{\$(\w+)\}\}/g, (_, name: string) => `{{${keys[name] ?? name}}}`)
  if (Array.isArray(value)) return value.map((v) => fill(v, keys))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, keys)]))
  return value
}

/**
 * A new method of a type without its own builder in draft-doc (all but Basic, API key and Bearer), or
 * undefined for an unknown type.
 *
 * @example
 * skeleton('oauth2', (k) => k, (id) => id) // { type: 'oauth2', id: 'oauth', grant: 'authorization_code', … }
 */
export function skeleton(type: string, keyer: Keyer, idFor: (base: string) => string): Obj | undefined {
  const shape = SKELETONS[type]
  if (!shape) return undefined
  const keys: Record<string, string> = {}
  const fields = shape.fields.map(({ base, ...f }) => {
    keys[base] = keyer(base)
    return { key: keys[base], ...f }
  })
  return {
    type,
    id: idFor(shape.id),
    label: shape.label,
    ...(fields.length > 0 ? { fields } : {}),
    ...(fill(structuredClone(shape.settings), keys) as Obj),
  }
}

/** The settings of a type, for switching a method to it (templates over the fields it already has). */
export function settingsOf(type: string, keyer: Keyer): Obj {
  const method = skeleton(type, keyer, (id) => id) ?? {}
  const { type: _t, id: _i, label: _l, fields: _f, ...settings } = method
  return settings
}
