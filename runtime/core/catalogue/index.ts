export { type Catalogue, type CatalogueEntry, createCatalogue } from './catalogue.ts'
export { loadBuiltIns } from './load-builtins.ts'
