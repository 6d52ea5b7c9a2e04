/**
 * Turns a `JSON.parse` failure into words a person can act on, with a line and column. V8's messages give an
 * offset only for some errors and quote a piece of the file for others; the file holds user data, so the
 * quote is dropped and the position found by a small scan instead.
 *
 * @example
 * try { JSON.parse(text) } catch (error) { describeJsonError(text, error) } // "Unexpected token '}' at line 3 column 5"
 */
export function describeJsonError(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  const words = raw
    .replace(/, (".*"|\.\.\.".*"\.\.\.|".*"\.\.\.|\.\.\.".*") is not valid JSON$/s, '')
    .replace(/ (?:in JSON )?at position \d+.*$/s, '')
  const offset = firstErrorOffset(text)
  return offset === undefined ? words : `${words} at ${lineAndColumn(text, offset)}`
}

function lineAndColumn(text: string, offset: number): string {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return `line ${line} column ${offset - lineStart + 1}`
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Offset of the first character JSON grammar rejects (RFC 8259), or undefined when the text is valid. */
function firstErrorOffset(text: string): number | undefined {
  let i = 0
  const fail = (): never => {
    throw new JsonStop(i)
  }
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const string = () => {
    i++
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 34) return void i++
      if (c < 32) fail()
      if (c !== 92) i++
      else if (text[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6
      else if ('"\\/bfnrt'.includes(text[i + 1] ?? 'x')) i += 2
      else fail()
    }
    fail()
  }
  const key = () => {
    space()
    if (text[i] !== '"') fail()
    string()
    space()
    if (text[i] !== ':') fail()
    i++
  }
  const scalar = () => {
    if (text[i] === '"') return string()
    NUMBER.lastIndex = i
    if (NUMBER.test(text)) return void (i = NUMBER.lastIndex)
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) return void (i += word.length)
    }
    // Point at the first wrong letter of a misspelt literal ("tru}"), where V8 points too.
    const start = i
    for (const word of ['true', 'false', 'null']) {
      let k = 0
      while (k < word.length && text[start + k] === word[k]) k++
      i = Math.max(i, start + k)
    }
    fail()
  }
  // A loop with an explicit stack rather than recursion: a garbage file of "[[[[…" must not overflow.
  const closers: string[] = []
  try {
    for (;;) {
      space()
      const opener = text[i]
      if (opener === '{' || opener === '[') {
        const closer = opener === '{' ? '}' : ']'
        i++
        space()
        if (text[i] === closer) i++
        else {
          closers.push(closer)
          if (closer === '}') key()
          continue
        }
      } else scalar()
      // After a value: close containers until one continues with a comma.
      for (;;) {
        space()
        const closer = closers.at(-1)
        if (closer === undefined) {
          if (i < text.length) fail()
          return undefined
        }
        if (text[i] === closer) {
          closers.pop()
          i++
        } else if (text[i] === ',') {
          i++
          if (closer === '}') key()
          break
        } else fail()
      }
    }
  } catch (stop) {
    if (stop instanceof JsonStop) return stop.offset
    throw stop
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}
