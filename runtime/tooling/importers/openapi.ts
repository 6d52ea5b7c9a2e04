import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Conversion, type ConvertOptions, convertOpenApi } from './openapi/convert.ts'
import { OpenApiProblem } from './openapi/errors.ts'
import { loadOpenApi } from './openapi/load.ts'

export { type Conversion, type ConvertOptions, convertOpenApi, MAX_ACTIONS } from './openapi/convert.ts'
export { OpenApiProblem, type OpenApiProblemCode } from './openapi/errors.ts'
export { type LoadedSpec, loadOpenApi, MAX_FILE_BYTES } from './openapi/load.ts'
export type { OpenApiReport } from './openapi/types.ts'

/**
 * Imports an OpenAPI 3.x or Swagger 2.0 file (JSON or YAML, `$ref`s to files beside it followed) as a
 * connector: auth methods from its security schemes, base URL and fields from its servers, actions from
 * its operations, a test request, and a report of what could not be mapped. Throws an
 * {@link OpenApiProblem} only when the file cannot be read as a spec at all.
 *
 * @example
 * const { connector, report, validation } = await importOpenApi('openapi.yaml', { include: ['GET *'] })
 */
export async function importOpenApi(file: string, options: ConvertOptions = {}): Promise<Conversion> {
  return convertOpenApi(await loadOpenApi(file), options)
}

/** The largest spec {@link importOpenApiText} takes (an upload through the API). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/**
 * Imports a spec given as text (an upload): written alone into a fresh temporary folder, so `$ref`s to
 * other files find nothing, and the folder's path never shows in a message.
 *
 * @example
 * const { connector, report } = await importOpenApiText(await file.text(), 'openapi.yaml')
 */
export async function importOpenApiText(text: string, fileName: string, options: ConvertOptions = {}): Promise<Conversion> {
  if (Buffer.byteLength(text) > MAX_UPLOAD_BYTES) {
    throw new OpenApiProblem('spec_too_large', `the spec is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-openapi-'))
  const name = /^[\w.-]{1,100}$/.test(fileName) && !fileName.startsWith('.') ? fileName : 'openapi'
  try {
    await writeFile(join(dir, name), text)
    return await importOpenApi(join(dir, name), options)
  } catch (error) {
    if (error instanceof OpenApiProblem) {
      const message = error.message.replaceAll(`${dir}/`, '').replaceAll(dir, 'the upload')
      throw new OpenApiProblem(error.code, message)
    }
    throw error
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
