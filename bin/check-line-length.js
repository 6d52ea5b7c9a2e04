#!/usr/bin/env node
// Fails when a source line is longer than 140 characters (code points), generated files aside.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const LIMIT = 140
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.js', '*.svelte', '*.css'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('schemas/types/'))
const long = []
for (const file of files) {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    continue
  }
  text.split('\n').forEach((line, i) => {
    const length = [...line].length
    if (length > LIMIT) long.push(`${file}:${i + 1}: ${length} characters`)
  })
}
if (long.length > 0) {
  console.error(`${long.length} line${long.length === 1 ? ' is' : 's are'} longer than ${LIMIT} characters:\n${long.join('\n')}`)
  process.exit(1)
}
console.log(`no line over ${LIMIT} characters in ${files.length} files`)
