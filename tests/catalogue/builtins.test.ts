import { readdir, readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { loadBuiltIns } from '../../runtime/core/catalogue/index.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

const dir = new URL('../../connectors/', import.meta.url)
const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()

describe('built-in catalogue', () => {
  it('has the real tools PRODUCT.md names plus the three generic connectors', () => {
    const ids = files.map((f) => f.replace(/\.json$/, ''))
    for (const id of [
      'github',
      'jira',
      'zendesk',
      'slack',
      'hubspot',
      'google-tasks',
      'stripe',
      'notion',
      'linear',
      'trello',
      'datadog',
      'freshdesk',
      'generic-basic',
      'generic-api-key',
      'generic-bearer',
    ]) {
      expect(ids).toContain(id)
    }
    expect(ids.filter((id) => !id.startsWith('generic-')).length).toBeGreaterThanOrEqual(15)
  })

  it.each(files)('%s validates with no errors and no warnings', async (file) => {
    const doc = JSON.parse(await readFile(new URL(file, dir), 'utf8')) as Record<string, unknown>
    const result = validateConnector(doc)
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
    expect(doc.$schema).toBe('../schemas/connector.schema.json')
    expect(`${String(doc.id)}.json`).toBe(file)
  })

  it.each(files.filter((f) => !f.startsWith('generic-')))('%s has an icon, docs link, test, and at least two actions', async (file) => {
    const doc = JSON.parse(await readFile(new URL(file, dir), 'utf8')) as {
      icon?: string
      docsUrl?: string
      test?: unknown
      actions?: unknown[]
    }
    expect(doc.icon).toMatch(/^(https:|data:image\/)/)
    expect(doc.docsUrl).toMatch(/^https:\/\//)
    expect(doc.test).toBeDefined()
    expect((doc.actions ?? []).length).toBeGreaterThanOrEqual(2)
  })

  it('loads at start, and one invalid file stops the start with every problem listed', async () => {
    expect((await loadBuiltIns('connectors')).size).toBe(files.length)
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const bad = await mkdtemp(`${tmpdir()}/sb-builtins-`)
    await writeFile(
      `${bad}/broken.json`,
      JSON.stringify({
        id: 'broken',
        name: 'Broken',
        baseUrl: 'https://x.test',
        auth: [{ type: 'apiKey', id: 'k', placements: [{ in: 'body', name: 'k', value: '{{nope}}' }] }],
      }),
    )
    await expect(loadBuiltIns(bad)).rejects.toThrow(
      /broken\.json {2}\/auth\/0\/placements\/0\/in {2}auth\[0\]\.placements\[0\]\.in must be 'header' or 'query'/,
    )
    await rm(bad, { recursive: true, force: true })
  })
})
