import type { Obj } from './draft-doc.ts'

/**
 * What every field control of the builder takes: the object in the draft it edits, the key in it, where that is
 * (a JSON pointer, for problems and focus), its label and help. Each control adds its own options to this shape.
 *
 * @example
 * interface Props extends FieldProps { placeholder?: string }
 */
export interface FieldProps {
  obj: Obj
  key: string
  pointer: string
  label: string
  help?: string | undefined
}
