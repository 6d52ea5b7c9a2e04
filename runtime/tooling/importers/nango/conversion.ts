import type { Field } from '../../../../schemas/types/connector.ts'
import { inputField, inputsOf, matches, toKey, usablePattern } from './fields.ts'
import { type NangoRef, parseInterpolation, refName, type Segment, splitAlternatives } from './interpolation.ts'
import type { ImportedMode, NangoInput, NangoProvider } from './types.ts'

/**
 * Thrown inside the converter when a provider uses something the format cannot express; the reason is
 * a stable phrase that reports group by, the detail names the particular case.
 *
 * @example
 * throw new Unsupported('unsupported placeholder ${now:…}')
 */
export class Unsupported extends Error {
  override readonly name = 'Unsupported'
  constructor(
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(detail ? `${reason} (${detail})` : reason)
  }
}

/** Where a template goes, which decides what it may refer to. */
export interface Place {
  /** How the place is named in skip reasons: "the base URL", "an extra header". */
  what: string
  /** Auth templates may use credentials; everything else only connection values. */
  credentials?: boolean
  /** What `${accessToken}` becomes here (`{{session.token}}`); without it, the access token cannot be used. */
  accessToken?: string
  /** `${credentials.raw.x}` (a value of the login answer) becomes `{{session.x}}` here. */
  loginValues?: boolean
}

/** The credential keys each auth mode offers to `${apiKey}`, `${username}`, `${credentials.x}`. */
const CREDENTIALS: Partial<Record<ImportedMode, Record<string, { key: string; label: string; secret: boolean }>>> = {
  API_KEY: { apiKey: { key: 'apiKey', label: 'API key', secret: true } },
  BASIC: {
    username: { key: 'username', label: 'Username', secret: false },
    password: { key: 'password', label: 'Password', secret: true },
  },
  OAUTH2: {},
  MCP_OAUTH2: {},
  OAUTH2_CC: {
    client_id: { key: 'clientId', label: 'Client ID', secret: false },
    client_secret: { key: 'clientSecret', label: 'Client secret', secret: true },
  },
}

/**
 * The state of one provider's conversion: the fields that templates have used so far (connection
 * values become connector fields, credentials the auth method's fields) and the translation of Nango
 * strings into templates.
 *
 * @example
 * const conv = new Conversion(provider, 'API_KEY')
 * conv.template('https://${connectionConfig.site}.example.com', { what: 'the base URL' }) // 'https://{{site}}.example.com'
 * [...conv.fields.values()] // [{ key: 'site', … }]
 */
export class Conversion {
  readonly config: Map<string, NangoInput>
  readonly credentials: Map<string, NangoInput>
  /** Connector fields by Nango key, in first-use order. */
  readonly fields = new Map<string, Field>()
  /** Auth fields by Nango credential name. */
  readonly authFields = new Map<string, Field>()
  /** Values of the login answer that session placements use, by capture name: JSON pointers. */
  readonly loginValues = new Map<string, string>()
  /** Hosts besides the base URL's that the auth method calls (a login or token URL elsewhere). */
  readonly allowedHosts = new Set<string>()
  /** Where the connector differs from the provider's behaviour in Nango, as stable phrases. */
  readonly notes = new Set<string>()
  private readonly note = (text: string) => void this.notes.add(text)

  constructor(
    readonly provider: NangoProvider,
    readonly mode: ImportedMode,
  ) {
    this.config = inputsOf(provider.connection_config)
    this.credentials = inputsOf(provider.credentials)
  }

  /**
   * Translates a Nango string into a template, choosing among `A || B` alternatives: a literal B that
   * fills the single placeholder of A becomes that field's default; otherwise the first alternative
   * whose values every connection has.
   */
  template(text: unknown, place: Place): string {
    if (typeof text !== 'string') throw new Unsupported(`${place.what} is not a string`)
    const alternatives = splitAlternatives(text).map(parseInterpolation)
    const [first] = alternatives
    if (alternatives.length === 1 || this.alwaysPresent(first!)) return this.render(first!, place)
    const derived = this.derivedDefault(alternatives)
    if (derived) return this.render(first!, place, derived)
    const chosen =
      alternatives.find((segments) => this.alwaysPresent(segments)) ??
      alternatives.find((segments) => this.enterable(segments)) ??
      alternatives.at(-1)!
    return this.render(chosen, place)
  }

  /**
   * `${connectionConfig.x}` (with literal text around it) || the same text with x filled in: the literal
   * is what Nango uses when x is empty, so it becomes x's default.
   */
  private derivedDefault(alternatives: Segment[][]): { key: string; value: string } | undefined {
    const [first, second] = alternatives
    if (alternatives.length !== 2 || !first || !second || second.some((s) => typeof s !== 'string')) return undefined
    const refs = first.filter((s): s is NangoRef => typeof s !== 'string')
    const ref = refs[0]
    if (refs.length !== 1 || ref?.kind !== 'config') return undefined
    const at = first.indexOf(ref)
    const before = first.slice(0, at).join('')
    const after = first.slice(at + 1).join('')
    const literal = second.join('')
    if (!literal.startsWith(before) || !literal.endsWith(after) || literal.length <= before.length + after.length) return undefined
    const value = literal.slice(before.length, literal.length - after.length)
    const input = this.config.get(ref.key)
    if (!input || input.secret === true) return undefined
    // A pattern the field leaves out (RE2 cannot run it) does not stand in the way of the default either.
    const pattern = usablePattern(input.pattern)
    if (pattern && !matches(pattern, value)) return undefined
    if (Array.isArray(input.enum) && !input.enum.map(String).includes(value)) return undefined
    const existing = this.fields.get(ref.key)
    if (existing?.default !== undefined && existing.default !== value) return undefined
    if (existing) {
      existing.default = value
      existing.required = false
    }
    return { key: ref.key, value }
  }

  /** Every value the alternative names is there on every connection (required, or with a default). */
  private alwaysPresent(segments: Segment[]): boolean {
    return segments.every((s) => {
      if (typeof s === 'string' || s.kind === 'credential') return true
      if (s.kind !== 'config') return false
      const input = this.config.get(s.key)
      if (!input) return false
      return (
        this.fields.get(s.key)?.default !== undefined ||
        input.default_value !== undefined ||
        (input.optional !== true && input.automated !== true)
      )
    })
  }

  /** Every value the alternative names is one the person can enter. */
  private enterable(segments: Segment[]): boolean {
    return segments.every(
      (s) =>
        typeof s === 'string' ||
        s.kind === 'credential' ||
        (s.kind === 'config' && this.config.has(s.key) && this.config.get(s.key)?.automated !== true),
    )
  }

  private render(segments: Segment[], place: Place, derived?: { key: string; value: string }): string {
    if (segments.some((s) => typeof s === 'string' && /\{\{|\}\}/.test(s)))
      throw new Unsupported('literal {{ or }}, which templates cannot escape')
    return segments.map((s) => (typeof s === 'string' ? s : this.resolve(s, place, derived))).join('')
  }

  /** The template text for one reference: a `{{placeholder}}`, or the constant a hidden credential holds. */
  private resolve(ref: NangoRef, place: Place, derived?: { key: string; value: string }): string {
    switch (ref.kind) {
      case 'config':
        return `{{${this.useConfig(ref.key, derived?.key === ref.key ? derived.value : undefined)}}}`
      case 'credential':
        if (!place.credentials) throw new Unsupported(`credential in ${place.what}`, ref.raw)
        return this.useCredential(ref)
      case 'accessToken':
        if (place.accessToken === undefined) throw new Unsupported(`access token in ${place.what}`, ref.raw)
        return place.accessToken
      default: {
        const raw = /^\$\{\s*credentials\.raw\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*\}$/.exec(ref.raw)?.[1]
        if (!raw || !place.loginValues) throw new Unsupported(`unsupported placeholder ${refName(ref)}`)
        const name = toKey(raw.replace(/\./g, '_'))
        this.loginValues.set(name, `/${raw.split('.').join('/')}`)
        return `{{session.${name}}}`
      }
    }
  }

  /** Declares the connector field for `${connectionConfig.key}` on first use; returns its template key. */
  useConfig(nangoKey: string, fallback?: string): string {
    const known = this.fields.get(nangoKey)
    if (known) return known.key
    const input = this.config.get(nangoKey)
    if (!input) throw new Unsupported('placeholder for a value the provider does not declare', `\${connectionConfig.${nangoKey}}`)
    if (input.automated === true && input.default_value === undefined && fallback === undefined) {
      this.notes.add('a value Nango fills in after connecting is entered by the person instead')
    }
    const key = this.freeKey(toKey(nangoKey))
    const field = inputField(key, input, { label: humanize(nangoKey), default: fallback, note: this.note })
    this.fields.set(nangoKey, field)
    return key
  }

  private useCredential(ref: NangoRef & { key: string }): string {
    const spec = this.credentialSpec(ref.key)
    if (!spec) throw new Unsupported(`unsupported placeholder ${refName(ref)}`)
    const field = this.credentialField(ref.key)
    return field ? `{{${field.key}}}` : (this.constantCredential(ref.key) ?? '')
  }

  /**
   * The auth field for a credential of this mode, declared on first use. A hidden credential with a
   * default (Freshdesk's password `X`) is no field at all: `undefined`, and templates use the constant.
   */
  credentialField(name: string): Field | undefined {
    const known = this.authFields.get(name)
    if (known) return known
    const spec = this.credentialSpec(name)
    if (!spec) throw new Unsupported(`unsupported credential ${name}`)
    const input = this.credentials.get(name) ?? {}
    if (input.hidden === true && typeof input.default_value === 'string') return undefined
    const field = inputField(this.freeKey(spec.key), input, {
      label: spec.label,
      secret: spec.secret || input.secret === true,
      note: this.note,
    })
    this.authFields.set(name, field)
    return field
  }

  /**
   * The auth field a credential becomes: fixed names for the modes Nango gives fixed credentials, and for
   * the others (TWO_STEP, JWT, …) whatever the entry declares under `credentials`, secret when Nango says
   * so or its name says it is a password, secret or key.
   */
  private credentialSpec(name: string): { key: string; label: string; secret: boolean } | undefined {
    const fixed = CREDENTIALS[this.mode]
    if (fixed) return fixed[name]
    const input = this.credentials.get(name)
    if (!input || input.automated === true) return undefined
    const secret = input.secret === true || (/password|secret|private|token|apikey|api_key/i.test(name) && !/id$/i.test(name))
    return { key: toKey(name), label: humanize(name), secret }
  }

  /** The constant a hidden credential stands for, if it is one. */
  constantCredential(name: string): string | undefined {
    const input = this.credentials.get(name)
    return input?.hidden === true && typeof input.default_value === 'string' ? input.default_value : undefined
  }

  /**
   * Runs a part of the conversion that the connector can do without (the test request): when it hits
   * something unsupported, the fields it declared are forgotten and a note says what was left out.
   */
  optional<T>(what: string, convert: () => T): T | undefined {
    const before = new Set(this.fields.keys())
    try {
      return convert()
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error
      for (const key of [...this.fields.keys()]) if (!before.has(key)) this.fields.delete(key)
      this.notes.add(`${what} left out: ${error.reason}`)
      return undefined
    }
  }

  private freeKey(key: string): string {
    const taken = new Set([...this.fields.values(), ...this.authFields.values()].map((f) => f.key))
    let candidate = key
    for (let n = 2; taken.has(candidate); n++) candidate = `${key}${n}`
    return candidate
  }
}

/** `accountId` → `Account id`, `api_domain` → `Api domain`: a label when Nango gives no title. */
function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase()
  return (words.charAt(0).toUpperCase() + words.slice(1)).slice(0, 120) || key
}
