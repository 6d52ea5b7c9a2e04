import { afterAll, beforeAll, expect, test } from 'vitest'
import { type DesignerEnv, screenshot, startDesignerEnv } from './harness.ts'

let env: DesignerEnv
beforeAll(async () => {
  env = await startDesignerEnv()
})
afterAll(() => env?.close())

test('the printed sign-in link opens the designer, and the catalogue lists the built-in connectors', async () => {
  const { page } = env
  await env.open('#/connectors')
  await page
    .getByRole('link', { name: /GitHub/ })
    .first()
    .waitFor()
  const me = await env.api('GET', '/api/me')
  expect(me.body.user.owner).toBe(true)
  await screenshot(page, 'smoke-catalogue')
})
