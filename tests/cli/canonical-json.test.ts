/** The text the migration's checksum is taken over: one spelling per record, whatever order its keys came in. */
import { expect, test } from 'vitest'
import { canonicalJson } from '../../runtime/tooling/store-migration/index.ts'

test('keys sorted at every depth, arrays kept in order, no whitespace', () => {
  expect(canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }], é: -0.5 })).toBe('{"a":[true,{"c":"x","d":null}],"b":1,"é":-0.5}')
  expect(canonicalJson({ z: { y: 1, x: 2 } })).toBe(canonicalJson(JSON.parse('{"z":{"x":2,"y":1}}')))
})

test('keys sort by UTF-16 code unit, as RFC 8785 says, not by locale', () => {
  expect(canonicalJson({ b: 1, B: 2, a: 3, '\u00e9': 4, '\u{1f600}': 5, '\ufb01': 6 })).toBe('{"B":2,"a":3,"b":1,"é":4,"😀":5,"ﬁ":6}')
})

test('strings escaped as JSON writes them; undefined properties left out as JSON leaves them', () => {
  expect(canonicalJson({ s: 'line\n"q"\u2028', u: undefined, list: [undefined] })).toBe('{"list":[null],"s":"line\\n\\"q\\"\u2028"}')
})
