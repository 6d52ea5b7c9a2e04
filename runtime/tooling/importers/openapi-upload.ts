import type { ImportOpenApi, OpenApiImportResult } from '../../../schemas/types/api.ts'
import { SwitchboardError } from '../../errors.ts'
import { importOpenApiText, OpenApiProblem } from './openapi.ts'

/**
 * `POST /api/connectors/import/openapi`: a spec uploaded as text → a draft connector and its report.
 * Nothing is stored; a spec that cannot be read at all is a 400 `invalid_spec` naming why
 * (`details.reason`: `spec_malformed`, `ref_not_found`, …).
 *
 * @example
 * const { connector, report } = await convertUpload({ spec: text, fileName: 'openapi.yaml' })
 */
export async function convertUpload(body: ImportOpenApi): Promise<OpenApiImportResult> {
  try {
    const { connector, report, validation } = await importOpenApiText(body.spec, body.fileName ?? 'openapi', {
      ...(body.include ? { include: body.include } : {}),
      ...(body.exclude ? { exclude: body.exclude } : {}),
    })
    return {
      connector: connector as unknown as OpenApiImportResult['connector'],
      report: report as unknown as OpenApiImportResult['report'],
      validation,
    }
  } catch (error) {
    if (error instanceof OpenApiProblem) {
      throw new SwitchboardError(400, 'invalid_spec', `The spec cannot be imported: ${error.message}`, { details: { reason: error.code } })
    }
    throw error
  }
}
