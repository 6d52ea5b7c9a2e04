/**
 * The accessibility attributes of an input at a JSON pointer: invalid when it has errors, described by
 * its help and its problems.
 */
import { draft } from './draft.svelte.ts'
import { domId } from './draft-places.ts'

/**
 * `id`, `aria-invalid` and `aria-describedby` for the input of `pointer`.
 *
 * @example
 * const attrs = $derived(inputAttributes('/baseUrl', true)) // <input {...attrs} />
 */
export function inputAttributes(
  pointer: string,
  hasHelp: boolean,
): { id: string; 'aria-invalid': 'true' | undefined; 'aria-describedby': string | undefined } {
  const id = domId(pointer)
  const errors = draft.errorsAt(pointer).length
  const problems = errors + draft.warningsAt(pointer).length
  const describedBy = [hasHelp ? `${id}-help` : '', problems > 0 ? `${id}-problems` : ''].filter(Boolean).join(' ')
  return { id, 'aria-invalid': errors > 0 ? 'true' : undefined, 'aria-describedby': describedBy || undefined }
}
