export { parseTemplate, placeholders, wholePlaceholder } from './parse.ts'
export type { Placeholder, TemplatePart, TemplateSyntaxError } from './parse.ts'
export { renderTemplate, lookup } from './render.ts'
export type { Resolve, RenderOptions } from './render.ts'
