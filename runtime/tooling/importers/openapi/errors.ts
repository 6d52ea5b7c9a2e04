/** Why a spec could not be imported at all, as a stable snake_case code. */
export type OpenApiProblemCode =
  | 'spec_unreadable'
  | 'spec_too_large'
  | 'spec_malformed'
  | 'spec_unsupported'
  | 'ref_outside_folder'
  | 'ref_network'
  | 'ref_not_found'

/**
 * A spec that cannot become a connector at all (unreadable, not OpenAPI, a `$ref` that cannot be
 * followed). Everything short of that becomes a connector and a report of what was left out.
 *
 * @example
 * throw new OpenApiProblem('ref_outside_folder', '"../secrets.yaml" points outside the spec\'s folder')
 */
export class OpenApiProblem extends Error {
  override readonly name = 'OpenApiProblem'

  constructor(
    readonly code: OpenApiProblemCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
