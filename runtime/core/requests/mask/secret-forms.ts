/**
 * The forms a secret takes when something echoes it back: as it is, percent- and form-encoded (either hex
 * case), JSON-escaped the ways real encoders do it (plain; `/` as `\/` as PHP does; non-ASCII as `\uXXXX` as
 * Python and PHP do; `<`, `>`, `&`, U+2028/9 as `\uXXXX` as Go does; every character as `\uXXXX`), base64
 * and base64url (also the part that stays the same when the secret sits inside a longer base64 text, at each
 * of the three byte alignments), and hex. Masking every form is what keeps an echo from being decoded back.
 *
 * Forms are meant for secrets of at least `MIN_SECRET_LENGTH` characters: shorter ones collide with ordinary
 * text, so connections holding them are refused rather than masked.
 *
 * @example
 * secretForms('a/b+c=d1').includes('a\\/b+c=d1') // true
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return []
  const forms = new Set<string>([secret])
  for (const encoded of [encodeURIComponent(secret), encodeURI(secret), new URLSearchParams({ x: secret }).toString().slice(2)]) {
    forms.add(encoded)
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()))
  }
  for (const json of jsonForms(secret)) forms.add(json)
  const bytes = Buffer.from(secret, 'utf8')
  for (const core of base64Cores(bytes)) forms.add(core)
  forms.add(bytes.toString('hex'))
  forms.add(bytes.toString('hex').toUpperCase())
  return [...forms].filter((form) => form.length > 0)
}

/** JSON string contents as the common encoders write them. */
function jsonForms(secret: string): string[] {
  const plain = JSON.stringify(secret).slice(1, -1)
  const forms = new Set<string>()
  for (const slash of [false, true]) {
    for (const ascii of [false, true]) {
      for (const html of [false, true]) {
        for (const upper of [false, true]) {
          let out = ''
          for (const char of plain.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => `\\u${upper ? hex.toUpperCase() : hex}`)) {
            const code = char.codePointAt(0)!
            if (slash && char === '/') out += '\\/'
            else if (
              (ascii && code > 0x7e) ||
              (html && (char === '<' || char === '>' || char === '&' || code === 0x2028 || code === 0x2029))
            )
              out += unicodeEscape(char, upper)
            else out += char
          }
          forms.add(out)
        }
      }
    }
  }
  for (const upper of [false, true]) forms.add([...secret].map((char) => unicodeEscape(char, upper)).join(''))
  return [...forms]
}

/** `\uXXXX` of a character, as a surrogate pair beyond the BMP (JSON has no other way). */
function unicodeEscape(char: string, upper: boolean): string {
  let out = ''
  for (let i = 0; i < char.length; i++) {
    const hex = char.charCodeAt(i).toString(16).padStart(4, '0')
    out += `\\u${upper ? hex.toUpperCase() : hex}`
  }
  return out
}

/**
 * The base64 characters that depend on the secret's bytes alone, for each byte alignment inside a longer
 * encoded text (`Authorization: Basic base64(user:secret)`), in both alphabets, and the whole padded encoding.
 */
function base64Cores(bytes: Buffer): string[] {
  const cores: string[] = []
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
    const first = Math.ceil((offset * 8) / 6)
    const end = Math.floor(((offset + bytes.length) * 8) / 6)
    const core = encoded.slice(first, end)
    cores.push(core, toUrlAlphabet(core))
  }
  const whole = bytes.toString('base64')
  cores.push(whole, toUrlAlphabet(whole), toUrlAlphabet(whole).replace(/=+$/, ''))
  return cores
}

function toUrlAlphabet(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_')
}
