export { createCatalogue, type Catalogue, type CatalogueEntry } from './catalogue.ts'
export { loadBuiltIns } from './load-builtins.ts'
