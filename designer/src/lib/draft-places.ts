/**
 * Where the designer shows a validation problem: every input and list of the form has the JSON pointer
 * of what it edits, and a problem is shown at the place whose pointer it names. Problems about parts the
 * form does not model (unknown keys, anything only the JSON view edits) have no place
 * and go to the problems summary.
 */
import { splitPointer, pointer as toPointer } from '../../../schemas/validate/pointer.ts'
import type { ValidationProblem, ValidationResult } from '../../../schemas/validate/types.ts'
import { schemaPlace } from './draft-form.ts'
import type { Doc } from './draft-sync.ts'

const FIELD = ['key', 'label', 'help', 'type', 'required', 'default', 'placeholder', 'pattern', 'options']
const fieldPlaces = (at: string) => [
  at,
  `${at}/#`,
  ...FIELD.map((p) => `${at}/#/${p}`),
  `${at}/#/options/#`,
  `${at}/#/options/#/value`,
  `${at}/#/options/#/label`,
]
const each = (at: string, names: string[]) => names.map((n) => `${at}/${n}`)

/** Pointer patterns of the form's places: `#` is an array index, `*` any one name. */
const PLACES = [
  ...each('', [
    'id',
    'name',
    'description',
    'icon',
    'docsUrl',
    'categories',
    'baseUrl',
    'allowedHosts',
    'auth',
    'headers',
    'test',
    'actions',
  ]),
  '/headers/*',
  ...fieldPlaces('/fields'),
  '/auth/#',
  ...each('/auth/#', ['type', 'id', 'label', 'description', 'username', 'password', 'token', 'placements']),
  ...fieldPlaces('/auth/#/fields'),
  '/auth/#/placements/#',
  ...each('/auth/#/placements/#', ['in', 'name', 'value']),
  ...each('/test', ['method', 'path', 'url', 'successStatus', 'label', 'bodyRules', 'query', 'headers', 'body']),
  '/test/bodyRules/#',
  ...each('/test/bodyRules/#', ['pointer', 'equals', 'exists']),
  '/test/query/*',
  '/test/headers/*',
  '/actions/#',
  ...each('/actions/#', ['key', 'name', 'description', 'method', 'path', 'query', 'headers', 'body', 'bodyType', 'output', 'input']),
  '/actions/#/query/*',
  '/actions/#/headers/*',
  '/actions/#/input/properties',
  '/actions/#/input/properties/*',
  ...each('/actions/#/input/properties/*', ['type', 'title', 'description']),
].map((p) => p.split('/').slice(1))

/**
 * Problems inside a value the form edits as a whole belong to that value's place: `[pattern, depth,
 * then]` — the pointer's first `depth` segments, then `then`.
 */
const ROLLUPS: Array<[string[], number, string?]> = [
  [['categories', '#'], 1],
  [['allowedHosts', '#'], 1],
  [['test', 'successStatus', '#'], 2],
  [['test', 'body', '**'], 2],
  [['actions', '#', 'body', '**'], 3],
  [['actions', '#', 'input', 'required', '**'], 3, 'properties'],
  [['actions', '#', 'input', 'type'], 3],
]

function matches(pattern: string[], segments: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    if (p === '**') return segments.length >= i
    const s = segments[i]
    if (s === undefined) return false
    if (p === '#' ? !/^(0|[1-9][0-9]*)$/.test(s) : p !== '*' && p !== s) return false
  }
  return pattern.length === segments.length
}

/**
 * The pointer of the place that shows a problem at `path`, or undefined when the form has none.
 *
 * @example
 * placeOf('/auth/0/placements/1/name', doc) // '/auth/0/placements/1/name'
 * placeOf('/test/successStatus/2', doc)     // '/test/successStatus'
 * placeOf('/x-notes', doc)                  // undefined: the summary lists it
 */
export function placeOf(path: string, doc: Doc): string | undefined {
  const segments = splitPointer(path)
  // Auth methods drawn from the schema and typed action inputs know their own places.
  const drawn = schemaPlace(segments, doc)
  if (drawn !== null) return drawn
  if (PLACES.some((p) => matches(p, segments))) return path
  for (const [pattern, depth, then] of ROLLUPS) {
    if (matches(pattern, segments)) return toPointer(...segments.slice(0, depth), ...(then ? [then] : []))
  }
  return undefined
}

/**
 * The element id of the place for a pointer (stable, and valid whatever the names in it).
 *
 * @example
 * domId('/auth/0/placements/1/name') // 'd.auth.0.placements.1.name'
 * domId('/headers/X.Y')              // 'd.headers.X~2eY'
 */
export function domId(pointer: string): string {
  const escape = (s: string) => encodeURIComponent(s).replace(/[.%~!'()*]/g, (c) => `~${c.charCodeAt(0).toString(16)}`)
  return (
    'd' +
    splitPointer(pointer)
      .map((s) => `.${escape(s)}`)
      .join('')
  )
}

/** Problems sorted by where they are shown. */
export interface PlacedProblems {
  errors: Map<string, ValidationProblem[]>
  warnings: Map<string, ValidationProblem[]>
  /** Errors and warnings with no place in the form. */
  unplaced: Array<ValidationProblem & { severity: 'error' | 'warning' }>
}

/**
 * Sorts a validation result by place.
 *
 * @example
 * const placed = placeProblems(validateConnector(doc), doc)
 * placed.errors.get('/baseUrl') // the base URL's errors
 */
export function placeProblems(result: ValidationResult, doc: Doc): PlacedProblems {
  const out: PlacedProblems = { errors: new Map(), warnings: new Map(), unplaced: [] }
  const add = (problem: ValidationProblem, severity: 'error' | 'warning') => {
    const place = placeOf(problem.path, doc)
    if (place === undefined) return void out.unplaced.push({ ...problem, severity })
    const map = severity === 'error' ? out.errors : out.warnings
    map.set(place, [...(map.get(place) ?? []), problem])
  }
  for (const e of result.errors) add(e, 'error')
  for (const w of result.warnings) add(w, 'warning')
  return out
}
