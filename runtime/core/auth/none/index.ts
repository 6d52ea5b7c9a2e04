import type { NoAuth } from '../../../../schemas/types/connector.ts'
import { emptyMaterial } from '../material.ts'
import type { AuthType } from '../types.ts'

/**
 * No credentials (a public API): nothing is stored, nothing is added to a request, and a connection is
 * usable as soon as it is created.
 *
 * @example
 * none.apply({ type: 'none', id: 'public' }, input) // { headers: {}, query: [], … }
 */
export const none: AuthType<NoAuth> = {
  type: 'none',
  needsCredentials: () => false,
  apply: () => emptyMaterial(),
}
