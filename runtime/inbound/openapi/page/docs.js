// The API reference page: reads /api/openapi.json and shows the routes by group, the schemas, and sends a
// request with the token typed above (or the designer's session). Everything is built from DOM nodes and
// textContent: nothing from the document or from an answer is ever parsed as HTML. Nothing is loaded from
// anywhere but this runtime.

/** @type {any} */
let doc
/** @type {Map<string, { method: string, path: string, op: any }>} */
const ops = new Map()
const token = /** @type {HTMLInputElement} */ (document.getElementById('token'))

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
    else node.setAttribute(key, value)
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false))
  return node
}

const refName = (ref) => ref.split('/').at(-1)
const schemaLink = (name) => el('a', { href: `#schema/${name}` }, name)

function refsIn(value, found = new Set()) {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found)
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.add(refName(item))
      else refsIn(item, found)
    }
  }
  return found
}

function schemaSummary(schema) {
  if (!schema) return el('span', {}, '—')
  if (schema.$ref) return schemaLink(refName(schema.$ref))
  if (Object.keys(schema).length === 0) return el('span', {}, 'anything')
  return el('code', {}, schema.type ? String(schema.type) : 'schema', schema.contentMediaType ? ` (${schema.contentMediaType})` : '')
}

function schemaBlock(schema) {
  const refs = [...refsIn(schema)]
  return [
    el('pre', {}, JSON.stringify(schema, null, 2)),
    refs.length ? el('p', {}, 'Refers to: ', ...refs.flatMap((name, i) => (i ? [', ', schemaLink(name)] : [schemaLink(name)]))) : undefined,
  ]
}

function renderNav() {
  const nav = /** @type {HTMLElement} */ (document.getElementById('nav'))
  nav.replaceChildren()
  for (const { name } of doc.tags) {
    nav.append(el('h2', {}, name))
    for (const [id, { method, path, op }] of ops) {
      if (op.tags.includes(name))
        nav.append(el('a', { href: `#op/${id}`, title: op.summary }, el('span', { class: `method ${method}` }, method), path))
    }
  }
  nav.append(el('h2', {}, 'schemas'))
  for (const name of Object.keys(doc.components.schemas).sort()) nav.append(el('a', { href: `#schema/${name}` }, name))
}

function intro() {
  const groups = doc.tags.map(({ name }) => {
    const count = [...ops.values()].filter(({ op }) => op.tags.includes(name)).length
    return el('li', {}, el('strong', {}, name), ` — ${count} operation${count === 1 ? '' : 's'}`)
  })
  return [
    el('h2', {}, `${doc.info.title} ${doc.info.version}`),
    el('p', {}, doc.info.description),
    el('p', {}, 'Send `Authorization: Bearer <token>` with an API token, or use the designer session in this browser.'),
    el('ul', {}, groups),
  ]
}

function operationView({ method, path, op }) {
  const params = op.parameters ?? []
  const body = op.requestBody?.content
  const responses = Object.entries(op.responses).map(([status, answer]) => {
    const content = answer.content ? Object.entries(answer.content)[0] : undefined
    return el(
      'tr',
      {},
      el('td', {}, status),
      el('td', {}, answer.description),
      el('td', {}, content ? [content[0], ' ', schemaSummary(content[1].schema)] : '—'),
    )
  })
  return [
    el('h2', {}, el('span', { class: `method ${method}` }, method), path),
    el('p', { class: 'prose' }, op.description ?? op.summary ?? ''),
    params.length
      ? [
          el('h3', {}, 'Parameters'),
          el(
            'table',
            {},
            el('tr', {}, el('th', {}, 'name'), el('th', {}, 'in'), el('th', {}, 'schema')),
            params.map((p) =>
              el('tr', {}, el('td', {}, p.name, p.required ? ' *' : ''), el('td', {}, p.in), el('td', {}, schemaSummary(p.schema))),
            ),
          ),
        ]
      : undefined,
    body
      ? [el('h3', {}, 'Body'), ...Object.entries(body).map(([media, { schema }]) => el('p', {}, media, ' ', schemaSummary(schema)))]
      : undefined,
    el('h3', {}, 'Answers'),
    el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'meaning'), el('th', {}, 'body')), responses),
    tryIt(method, path, params, body),
  ]
}

function exampleOf(schema) {
  const named = schema?.$ref ? doc.components.schemas[refName(schema.$ref)] : schema
  const example = named?.examples?.[0]
  return example === undefined ? '' : JSON.stringify(example, null, 2)
}

function tryIt(method, path, params, body) {
  const inputs = new Map(params.map((p) => [p, el('input', { name: p.name, placeholder: p.required ? 'required' : 'optional' })]))
  const json = body?.['application/json']
  const text = body ? el('textarea', { name: 'body', 'aria-label': 'Body' }, json ? exampleOf(json.schema) : '') : undefined
  const status = el('p', { class: 'status', role: 'status' })
  const output = el('pre', { hidden: '' })
  async function send() {
    const value = (p) => /** @type {HTMLInputElement} */ (inputs.get(p)).value
    let url = path
    const query = new URLSearchParams()
    for (const p of params) {
      if (p.in === 'path') url = url.replace(`{${p.name}}`, p.name === 'path' ? encodeURI(value(p)) : encodeURIComponent(value(p)))
      else if (p.in === 'query' && value(p) !== '') query.set(p.name, value(p))
    }
    const headers = {}
    if (token.value) headers.authorization = `Bearer ${token.value}`
    if (text && text.value.trim() !== '') headers['content-type'] = json ? 'application/json' : 'text/plain'
    status.textContent = 'Sending…'
    try {
      const init = { method: method.toUpperCase(), headers, credentials: 'same-origin', redirect: 'manual' }
      if (text && text.value.trim() !== '') init.body = text.value
      const res = await fetch(query.size ? `${url}?${query}` : url, init)
      const answer = await res.text()
      let shown = answer
      try {
        shown = JSON.stringify(JSON.parse(answer), null, 2)
      } catch {}
      status.textContent = res.type === 'opaqueredirect' ? 'A redirect' : `${res.status} ${res.statusText}`
      output.textContent = shown
      output.hidden = shown === ''
    } catch (error) {
      status.textContent = `The request failed: ${error}`
    }
  }
  return el(
    'section',
    { class: 'try' },
    el('h3', {}, 'Try it'),
    [...inputs].map(([p, input]) => el('label', {}, `${p.name} (${p.in}) `, input)),
    text,
    el('button', { type: 'button', onclick: send }, 'Send'),
    status,
    output,
  )
}

function schemaView(name) {
  return [el('h2', {}, name), ...schemaBlock(doc.components.schemas[name])]
}

function route() {
  const [kind, id] = decodeURIComponent(location.hash.slice(1)).split('/')
  const main = /** @type {HTMLElement} */ (document.getElementById('main'))
  for (const a of document.querySelectorAll('nav a')) {
    if (a.getAttribute('href') === location.hash) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  const op = kind === 'op' ? ops.get(id) : undefined
  if (op) main.replaceChildren(...operationView(op).flat(2).filter(Boolean))
  else if (kind === 'schema' && doc.components.schemas[id]) main.replaceChildren(...schemaView(id).flat().filter(Boolean))
  else main.replaceChildren(...intro())
}

async function start() {
  const res = await fetch('/api/openapi.json', { credentials: 'same-origin' })
  doc = await res.json()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) ops.set(op.operationId, { method, path, op })
  }
  renderNav()
  window.addEventListener('hashchange', route)
  route()
}

start().catch((error) => {
  const main = /** @type {HTMLElement} */ (document.getElementById('main'))
  main.replaceChildren(el('p', {}, `Could not read /api/openapi.json: ${error}`))
})
