import { readFile, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import SwaggerParser from '@apidevtools/swagger-parser'
import { isObject } from '../../../../schemas/validate/context.ts'
import { tooDeep } from '../../../../schemas/validate/depth.ts'
import { FileProblem, parseJson } from '../../../platform/files/index.ts'
import { parseYaml } from '../yaml-file.ts'
import { OpenApiProblem } from './errors.ts'

/** The largest file read (a spec or a file it refers to): far above real specs (GitHub's is 13 MB). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024
/** At most this many files, this many bytes in all, per import. */
const MAX_FILES = 500
const MAX_TOTAL_BYTES = 128 * 1024 * 1024
/** Deeper than any real spec nests; ref-parser and the converter recurse, so deeper would overflow. */
const MAX_NESTING = 256

/** A spec read and its `$ref`s to other files pulled in: what remains are local `#/…` references. */
export interface LoadedSpec {
  doc: Record<string, unknown>
  /** `2.0` (Swagger), `3.0` or `3.1` (3.2 and later are read as 3.1). */
  version: '2.0' | '3.0' | '3.1'
  /** The version as the document states it. */
  declared: string
  /** How many files were read, the spec included. */
  files: number
  bytes: number
}

/**
 * Reads an OpenAPI 3.x or Swagger 2.0 document (JSON or YAML) and resolves its references to other files
 * with swagger-parser's bundler. Only files inside the spec's own folder are read (symbolic links
 * followed first), and nothing is fetched: a `$ref` to a URL, or outside the folder, is an error that
 * names it.
 *
 * @example
 * const { doc, version } = await loadOpenApi('specs/acme/openapi.yaml')
 */
export async function loadOpenApi(file: string): Promise<LoadedSpec> {
  const main = resolve(file)
  const budget = { files: 0, bytes: 0 }
  let folder: string
  try {
    folder = await realpath(dirname(main))
  } catch {
    throw new OpenApiProblem('spec_unreadable', `${file}: cannot read the file: no such file`)
  }
  const raw = parseDocument(await readConfined(main, folder, budget, file), file)
  if (!isObject(raw)) throw new OpenApiProblem('spec_unsupported', `${file}: expected an OpenAPI document (a mapping), found ${kind(raw)}`)
  const { version, declared, root } = versionOf(raw, file)
  // ref-parser wraps what its plugins throw in errors of its own without the cause; the first problem is kept here.
  let thrown: OpenApiProblem | undefined
  const keep = <T>(run: () => T | Promise<T>): Promise<T> =>
    Promise.resolve()
      .then(run)
      .catch((error: unknown) => {
        if (error instanceof OpenApiProblem) thrown ??= error
        throw error
      })
  let doc: unknown
  try {
    doc = await SwaggerParser.bundle(
      main,
      root as never,
      {
        resolve: {
          external: true,
          http: false,
          file: {
            order: 1,
            canRead: true,
            read: (ref: { url: string }) => keep(() => readConfined(refPath(ref.url), folder, budget, ref.url)),
          },
        },
        parse: {
          json: false,
          yaml: false,
          text: false,
          binary: false,
          spec: {
            order: 1,
            canParse: true,
            allowEmpty: false,
            parse: (ref: { url: string; data: Buffer | string }) => keep(() => parseDocument(String(ref.data), ref.url)),
          },
        },
      } as never,
    )
  } catch (error) {
    throw thrown ?? refProblem(error, file)
  }
  if (!isObject(doc)) throw new OpenApiProblem('spec_unsupported', `${file}: expected an OpenAPI document`)
  return { doc: root === raw ? doc : { ...doc, openapi: declared }, version, declared, files: budget.files, bytes: budget.bytes }
}

function versionOf(raw: Record<string, unknown>, file: string): { version: LoadedSpec['version']; declared: string; root: object } {
  if (raw.swagger !== undefined) {
    if (String(raw.swagger) !== '2.0')
      throw new OpenApiProblem(
        'spec_unsupported',
        `${file}: Swagger ${String(raw.swagger)} is not supported; convert it to 2.0 or OpenAPI 3`,
      )
    return { version: '2.0', declared: '2.0', root: { ...raw, swagger: '2.0', info: info(raw) } }
  }
  const declared = typeof raw.openapi === 'string' || typeof raw.openapi === 'number' ? String(raw.openapi) : ''
  const match = /^3\.(\d+)(\.\d+)?/.exec(declared)
  if (!match) {
    const what = declared === '' ? 'it has neither "openapi" nor "swagger" at the top' : `OpenAPI ${declared} is not supported`
    throw new OpenApiProblem('spec_unsupported', `${file}: not an OpenAPI 3 or Swagger 2.0 document: ${what}`)
  }
  const minor = Number(match[1])
  // The parser knows 3.0.0–3.0.4 and 3.1.0–3.1.2; later 3.x documents are read with the newest rules it has.
  const parsedAs = minor === 0 ? '3.0.3' : '3.1.2'
  const paths = raw.paths ?? (minor >= 1 && raw.webhooks !== undefined ? undefined : {})
  return {
    version: minor === 0 ? '3.0' : '3.1',
    declared,
    root: { ...raw, openapi: parsedAs, info: info(raw), ...(paths ? { paths } : {}) },
  }
}

/** `info.version` written as a number (`1.0`) is common; the parser refuses it, the importer does not need it. */
function info(raw: Record<string, unknown>): Record<string, unknown> {
  const value = isObject(raw.info) ? raw.info : {}
  return { ...value, version: String(value.version ?? '') }
}

async function readConfined(path: string, folder: string, budget: { files: number; bytes: number }, shown: string): Promise<string> {
  let real: string
  try {
    real = await realpath(path)
  } catch {
    throw new OpenApiProblem('ref_not_found', `${shown}: cannot read the file: no such file`)
  }
  const inside = relative(folder, real)
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new OpenApiProblem('ref_outside_folder', `${shown} is outside the spec's folder (${folder}); only files beside the spec are read`)
  }
  const info = await stat(real)
  if (!info.isFile()) throw new OpenApiProblem('spec_unreadable', `${shown}: cannot read the file: it is not a file`)
  if (info.size > MAX_FILE_BYTES) throw tooLarge(shown, `the file is ${mb(info.size)}; at most ${mb(MAX_FILE_BYTES)} are read`)
  budget.files++
  budget.bytes += info.size
  if (budget.files > MAX_FILES) throw tooLarge(shown, `the spec refers to more than ${MAX_FILES} files`)
  if (budget.bytes > MAX_TOTAL_BYTES) throw tooLarge(shown, `the spec and its files come to more than ${mb(MAX_TOTAL_BYTES)}`)
  return readFile(real, 'utf8')
}

/** A JSON document is parsed as JSON (much faster than YAML on big specs); anything else as YAML. */
function parseDocument(text: string, shown: string): unknown {
  let value: unknown
  try {
    value = /^\s*[[{]/.test(text) ? parseJson(text) : parseYaml(text)
  } catch (error) {
    if (error instanceof FileProblem) throw new OpenApiProblem('spec_malformed', `${shown}: ${error.message}`)
    throw error
  }
  const deep = tooDeep(value, MAX_NESTING)
  if (deep !== undefined) {
    const where = deep.length > 120 ? `${deep.slice(0, 120)}…` : deep
    throw new OpenApiProblem('spec_malformed', `${shown}: nested more than ${MAX_NESTING} levels deep at ${where}`)
  }
  return value
}

function refPath(url: string): string {
  if (/^https?:/i.test(url))
    throw new OpenApiProblem(
      'ref_network',
      `the $ref to ${url} is a URL: nothing is fetched; save the file beside the spec and refer to it by a relative path`,
    )
  if (url.startsWith('file:')) return fileURLToPath(url)
  if (/^[a-z][a-z0-9+.-]+:/i.test(url))
    throw new OpenApiProblem('ref_network', `the $ref to ${url} is not a file: only files beside the spec are read`)
  return decodeURI(url)
}

function refProblem(error: unknown, file: string): Error {
  const message = error instanceof Error ? error.message : String(error)
  const missing = /Missing \$ref pointer|Token ".*" does not exist|Error resolving \$ref pointer/i.test(message)
  return new OpenApiProblem(missing ? 'ref_not_found' : 'spec_malformed', `${file}: ${firstLine(message)}`, { cause: error })
}

function tooLarge(shown: string, why: string): OpenApiProblem {
  return new OpenApiProblem('spec_too_large', `${shown}: too large: ${why}`)
}

function kind(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'nothing' : `a ${typeof value}`
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
