export { prepareRequest, toClientRequest, type PreparedRequest, type PrepareInput, type RequestSpec } from './prepare-request.ts'
export { resolveBaseUrl, renderUrlTemplate } from './base-url.ts'
export { fieldDefinitions, pickAuthMethod, effectiveValues } from './values.ts'
export { createMasker, secretVariants, MASK, type Masker } from './mask.ts'
