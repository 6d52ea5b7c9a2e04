import { type Conversion, type ConvertOptions, convertOpenApi } from './openapi/convert.ts'
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
