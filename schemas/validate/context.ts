import { parseTemplate } from '../template/index.ts'
import { pointer, readablePath } from './pointer.ts'
import type { ValidationProblem } from './types.ts'

/** A declared field and where it is declared. */
export interface FieldInfo {
  key: string
  type: string
  /** Pointer of the field object. */
  path: string
}

/** What the templates at one place may refer to. */
export interface Scope {
  fields: ReadonlyMap<string, FieldInfo>
  /** Secret fields may appear here (headers, auth templates), not in URLs, queries or labels. */
  secrets: boolean
  /**
   * An auth method's own template: what it renders from a secret is masked as a secret, so filters may apply
   * to secrets here. Elsewhere a filtered secret (`{{key | before:"-"}}`) would be shown unmasked.
   */
  credential?: boolean
  /** The action's declared input names, when this place belongs to an action. */
  inputs?: ReadonlySet<string>
  /** `{{body.…}}` and `{{headers.…}}` of the test response (the label only). */
  response?: boolean
  /** `{{session.<name>}}`: what a session method captures, by name, and whether it is a secret. */
  session?: ReadonlyMap<string, boolean>
  /** What the place is called in messages: "the base URL", "a query parameter". */
  what: string
}

/** Names that templates use as namespaces, so they cannot be field keys. */
export const RESERVED_KEYS = new Set(['input', 'body', 'headers', 'session'])

/**
 * Collects the problems of one validation run and the fields that templates refer to.
 */
export class Checker {
  readonly errors: ValidationProblem[] = []
  readonly warnings: ValidationProblem[] = []
  readonly used = new Set<FieldInfo>()
  /**
   * What the connector's requests (test, actions) may use as `{{session.<name>}}`: set once the auth methods are
   * checked, when every one of them is a session method, to the captures they all have.
   */
  session: ReadonlyMap<string, boolean> | undefined
  /** Credential fields (an auth method's own) by key, and where each is declared: they mean nothing outside their method. */
  credentials: ReadonlyMap<string, string> = new Map()

  error(path: string, keyword: string, message: string): void {
    this.errors.push({ path, keyword, message })
  }

  warn(path: string, keyword: string, message: string): void {
    this.warnings.push({ path, keyword, message })
  }

  /** Checks one template string against what its place may refer to. */
  template(value: unknown, path: string, scope: Scope): void {
    if (typeof value !== 'string') return
    // Without braces there is nothing to parse; otherwise the readable path is made only for a message.
    if (!value.includes('{{') && !value.includes('}}')) return
    const { parts, errors } = parseTemplate(value)
    for (const e of errors) this.error(path, 'templateSyntax', `${readablePath(path)} ${e.message}`)
    for (const part of parts) {
      if (typeof part === 'string') continue
      const head = part.path[0]!
      if (head === 'input') {
        if (!scope.inputs)
          this.error(path, 'inputOutsideAction', `${readablePath(path)} uses {{${part.path.join('.')}}}, but inputs exist only in actions`)
        else if (part.path.length === 1)
          this.error(path, 'unknownInput', `${readablePath(path)} uses {{input}} without a name: write {{input.<name>}}`)
        else if (!scope.inputs.has(part.path[1]!))
          this.error(
            path,
            'unknownInput',
            `${readablePath(path)} uses {{${part.path.join('.')}}}, but the action declares no input "${part.path[1]}" — add it to ` +
              'input.properties',
          )
        continue
      }
      if (head === 'session') {
        this.sessionPlaceholder(path, part.path.slice(1), scope)
        continue
      }
      if (head === 'body' || head === 'headers') {
        if (!scope.response)
          this.error(
            path,
            'responseOutsideLabel',
            `${readablePath(path)} uses {{${part.path.join('.')}}}, but the response is only available in test.label`,
          )
        continue
      }
      const field = scope.fields.get(head)
      const credential = field ? undefined : this.credentials.get(head)
      if (credential !== undefined) {
        this.error(
          path,
          'credentialField',
          `${readablePath(path)} uses {{${head}}}, a credential field (${readablePath(credential)}): credential fields cannot go into ` +
            `URLs and paths, nor anywhere but their own auth method — if it is not a secret (an account ID), move it to the ` +
            `connection fields`,
        )
        continue
      }
      if (!field) {
        const known = [...scope.fields.keys()]
        const hint = known.length > 0 ? ` Declared fields here: ${known.join(', ')}.` : ' No fields are declared here.'
        this.error(
          path,
          'unknownPlaceholder',
          `${readablePath(path)} uses {{${part.path.join('.')}}}, which is not a declared field.${hint}`,
        )
        continue
      }
      this.used.add(field)
      if (part.path.length > 1)
        this.error(
          path,
          'unknownPlaceholder',
          `${readablePath(path)} uses {{${part.path.join('.')}}}, but field "${head}" has no parts: write {{${head}}}`,
        )
      if (field.type === 'secret' && scope.secrets && !scope.credential && part.filters.length > 0) {
        this.error(
          path,
          'secretFiltered',
          `${readablePath(path)} applies filters to secret field "${head}" in ${scope.what}; what they make of it could be shown ` +
            `unmasked — filter secrets only in the auth method's own templates`,
        )
      }
      if (field.type === 'secret' && !scope.secrets) {
        this.error(
          path,
          'secretExposed',
          `${readablePath(path)} uses secret field "${head}" in ${scope.what}, which is logged and shown — put secrets only in ` +
            `headers or auth templates`,
        )
      }
    }
  }

  /** `{{session.<name>}}`: a capture the place can see; a secret one only where secrets may go. */
  private sessionPlaceholder(path: string, rest: string[], scope: Scope): void {
    const captures = scope.response ? undefined : (scope.session ?? this.session)
    const name = ['session', ...rest].join('.')
    if (!captures) {
      this.error(
        path,
        'sessionOutsideSession',
        `${readablePath(path)} uses {{${name}}}, but session values exist only in a session method's placements and, when every ` +
          `auth method is a session capturing it, in the test and actions`,
      )
      return
    }
    const secret = rest.length === 1 ? captures.get(rest[0]!) : undefined
    if (secret === undefined) {
      const known = [...captures.keys()].map((k) => `{{session.${k}}}`).join(', ')
      this.error(
        path,
        'unknownCapture',
        `${readablePath(path)} uses {{${name}}}, which is not captured at login. Captured: ${known || 'nothing'}.`,
      )
    } else if (secret && !scope.secrets) {
      this.error(
        path,
        'secretExposed',
        `${readablePath(path)} uses the secret session value "${rest[0]}" in ${scope.what}, which is logged and shown — put it in a ` +
          `header, or mark the capture "secret": false if it is an identifier that grants nothing`,
      )
    }
  }

  /** Header names and values must not be able to inject further headers (CR/LF) or carry controls. */
  headerValue(value: unknown, path: string): void {
    if (typeof value === 'string' && /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
      this.error(
        path,
        'controlCharacter',
        `${readablePath(path)} contains a line break or control character, which is not allowed in a header`,
      )
    }
  }

  /** A map of templates (headers, query, params). */
  templates(map: unknown, path: string, scope: Scope, header = false): void {
    if (!isObject(map)) return
    for (const [name, value] of Object.entries(map)) {
      this.template(value, path + pointer(name), scope)
      if (header) this.headerValue(value, path + pointer(name))
    }
  }

  /** Every string inside a JSON body is a template. */
  body(value: unknown, path: string, scope: Scope): void {
    if (typeof value === 'string') this.template(value, path, scope)
    else if (Array.isArray(value)) value.forEach((item, i) => this.body(item, path + pointer(i), scope))
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) this.body(v, path + pointer(k), scope)
  }
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The array at `value`, or an empty one. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}
