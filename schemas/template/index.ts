export type { Placeholder, TemplatePart, TemplateSyntaxError } from './parse.ts'
export { parseTemplate, placeholders, wholePlaceholder } from './parse.ts'
export type { RenderOptions, Resolve } from './render.ts'
export { lookup, renderTemplate } from './render.ts'
