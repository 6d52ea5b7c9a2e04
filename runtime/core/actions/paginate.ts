import { lookup } from '../../../schemas/template/index.ts'
import type { ActionPagination } from '../../../schemas/types/api.ts'
import type { Action, Pagination } from '../../../schemas/types/connector.ts'
import { splitPointer } from '../../../schemas/validate/index.ts'
import type { RequestSpec } from '../requests/index.ts'
import type { ConnectionUse, RetryPolicy, Sent } from '../use/index.ts'
import { nextLink } from './link-header.ts'

/** The input a page's cursor, offset or number is handed to the request's templates under; set after inputs are checked. */
const PAGE_INPUT = '__page'
const PAGE = `{{input.${PAGE_INPUT}}}`

/** Every page read, the items gathered, and how it ended. */
export interface Pages {
  first: Sent
  last: Sent
  items: unknown[]
  attempts: number
  report: ActionPagination
}

const ok = (status: number) => status >= 200 && status < 300

/**
 * Reads an action's pages as its pagination says, each sent through the connection like the first (credentials,
 * masking, retries, rate limits): items gathered from `items` until the last page, `maxPages` or `maxItems`. A next
 * link to another origin (scheme, host or port) is not followed: reading stops and the result says so. A page that
 * fails ends the reading with that page as the answer.
 *
 * @example
 * const { items, report } = await readPages(conn, action, action.pagination, inputs)
 */
export async function readPages(
  conn: ConnectionUse,
  action: Action,
  pagination: Pagination,
  inputs: Record<string, unknown>,
  retry?: RetryPolicy,
): Promise<Pages> {
  const itemsAt = splitPointer(pagination.items)
  const maxPages = pagination.maxPages ?? 10
  const maxItems = pagination.maxItems ?? Number.POSITIVE_INFINITY
  const items: unknown[] = []
  let spec: RequestSpec = firstPage(action, pagination)
  let values: Record<string, unknown> = firstValue(pagination, inputs)
  let first: Sent | undefined
  let attempts = 0
  let number = pagination.type === 'page' ? (pagination.start ?? 1) : 0
  let offset = 0
  let cursor: unknown
  for (let pages = 1; ; pages++) {
    const sent = await conn.send(spec, { inputs: values, ...(retry ? { retry } : {}) })
    first ??= sent
    attempts += sent.attempts
    const done = (stopped: ActionPagination['stopped'], extra: Partial<ActionPagination> = {}): Pages => ({
      first: first!,
      last: sent,
      items,
      attempts,
      report: { pages, items: items.length, stopped, ...extra },
    })
    if (!ok(sent.response.status)) return done('failed')
    const found = lookup(sent.response.body, itemsAt)
    const page = Array.isArray(found) ? found : []
    for (const item of page) {
      if (items.length >= maxItems) break
      items.push(item)
    }
    if (items.length >= maxItems) return done('max_items')
    // The next page, or why there is none.
    let next: RequestSpec | undefined
    if (pagination.type === 'link') {
      const link = nextLink(sent.response.headers.get('link'), sent.url)
      if (!link) return done('end')
      // The origin is the scheme, host and port (RFC 6454): anything else may not get the credentials.
      if (link.origin !== first.url.origin) return done('other_origin', { next: sent.masker.text(link.href) })
      next = { ...action, href: link }
    } else if (page.length === 0) {
      return done('end')
    } else if (pagination.type === 'cursor') {
      const value = lookup(sent.response.body, splitPointer(pagination.cursor))
      if (value === undefined || value === null || value === '') return done('end')
      if (value === cursor) return done('repeated')
      cursor = value
      next = pages === 1 ? cursorPage(action, pagination) : spec
      values = { ...inputs, [PAGE_INPUT]: value }
    } else if (pagination.type === 'offset') {
      if (pagination.limit !== undefined && page.length < pagination.limit) return done('end')
      offset += page.length
      next = spec
      values = { ...inputs, [PAGE_INPUT]: offset }
    } else {
      if (pagination.size !== undefined && page.length < pagination.size) return done('end')
      number++
      next = spec
      values = { ...inputs, [PAGE_INPUT]: number }
    }
    if (pages >= maxPages) return done('max_pages')
    spec = next
  }
}

/** The first page's request: the action with the page's parameters (offset 0, page `start`, the page size). */
function firstPage(action: Action, pagination: Pagination): RequestSpec {
  switch (pagination.type) {
    case 'offset':
      return withQuery(action, {
        [pagination.offsetParam ?? 'offset']: PAGE,
        ...(pagination.limitParam && pagination.limit !== undefined ? { [pagination.limitParam]: String(pagination.limit) } : {}),
      })
    case 'page':
      return withQuery(action, {
        [pagination.pageParam ?? 'page']: PAGE,
        ...(pagination.sizeParam && pagination.size !== undefined ? { [pagination.sizeParam]: String(pagination.size) } : {}),
      })
    default:
      return action
  }
}

function firstValue(pagination: Pagination, inputs: Record<string, unknown>): Record<string, unknown> {
  if (pagination.type === 'offset') return { ...inputs, [PAGE_INPUT]: 0 }
  if (pagination.type === 'page') return { ...inputs, [PAGE_INPUT]: pagination.start ?? 1 }
  return inputs
}

/** The request for the pages after the first: the cursor in its query parameter or at its place in the body. */
function cursorPage(action: Action, pagination: Extract<Pagination, { type: 'cursor' }>): RequestSpec {
  if (pagination.param) return withQuery(action, { [pagination.param]: PAGE })
  const body = structuredClone(action.body ?? {}) as Record<string, unknown>
  const path = splitPointer(pagination.field ?? '')
  let at = body
  for (const segment of path.slice(0, -1)) {
    if (at[segment] === null || typeof at[segment] !== 'object') at[segment] = {}
    at = at[segment] as Record<string, unknown>
  }
  // A whole placeholder keeps the cursor's JSON type (a number stays a number).
  if (path.length > 0) at[path.at(-1)!] = PAGE
  return { ...action, body }
}

function withQuery(action: Action, query: Record<string, string>): RequestSpec {
  return { ...action, query: { ...action.query, ...query } }
}
