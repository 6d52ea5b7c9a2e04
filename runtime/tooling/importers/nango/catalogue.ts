import type { Category } from '../../../../schemas/types/connector.ts'

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']

/**
 * A connector id for a Nango provider name: lowercase letters, digits and dashes, starting with a
 * letter (leading digits are spelt out: `1password` → `one-password`), 3 to 64 characters.
 *
 * @example
 * connectorId('8x8') // 'eight-x8'
 */
export function connectorId(name: string): string {
  let id = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
  const digits = /^[0-9]+/.exec(id)?.[0]
  if (digits) id = `${[...digits].map((d) => DIGITS[Number(d)]).join('-')}-${id.slice(digits.length)}`
  id = id.replace(/-+/g, '-').replace(/-$/, '')
  if (id.length < 3) id = `${id || 'provider'}-api`
  return id.slice(0, 64).replace(/-+$/, '')
}

/**
 * Nango's catalogue tags in our categories. Tags that say nothing about what a tool does (`popular`,
 * `mcp`) are dropped; tags we have no category for become `other`.
 */
const CATEGORY: Record<string, Category | null> = {
  accounting: 'finance',
  analytics: 'analytics',
  ats: 'hr',
  banking: 'finance',
  cms: 'documents',
  communication: 'communication',
  crm: 'crm',
  design: 'design',
  'dev-tools': 'developer-tools',
  'e-commerce': 'e-commerce',
  erp: 'finance',
  hr: 'hr',
  iam: 'security',
  invoicing: 'finance',
  'knowledge-base': 'documents',
  legal: 'documents',
  marketing: 'marketing',
  mcp: null,
  other: 'other',
  payment: 'payments',
  popular: null,
  productivity: 'productivity',
  social: 'marketing',
  storage: 'storage',
  support: 'support',
  surveys: 'marketing',
  ticketing: 'ticketing',
  video: 'communication',
}

/**
 * Our categories for Nango's tags, without repeats; `['other']` when none is left.
 *
 * @example
 * categoriesOf(['accounting', 'popular', 'erp']) // ['finance']
 */
export function categoriesOf(tags: unknown): Category[] {
  const out = new Set<Category>()
  for (const tag of Array.isArray(tags) ? tags : []) {
    if (typeof tag !== 'string') continue
    const category = Object.hasOwn(CATEGORY, tag) ? CATEGORY[tag] : 'other'
    if (category) out.add(category)
  }
  if (out.size === 0) out.add('other')
  return [...out].slice(0, 10)
}
