/**
 * Moves the keyboard focus to a place of the designer's form by JSON pointer ("jump to" links, rows
 * that moved). Lists and sections have `tabindex="-1"` so they can take the focus too.
 */
import { tick } from 'svelte'
import { domId } from './draft-places.ts'

/**
 * Focuses the element of `pointer` (with an id suffix such as `-up`) once the page has updated.
 *
 * @example
 * await focusPlace('/auth/0/placements/1/name') // the header name input of the second placement
 */
export async function focusPlace(pointer: string, suffix = ''): Promise<boolean> {
  await tick()
  const element = document.getElementById(domId(pointer) + suffix)
  if (!element) return false
  for (let d = element.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true
  element.scrollIntoView({ block: 'center' })
  element.focus({ preventScroll: true })
  return document.activeElement === element
}
