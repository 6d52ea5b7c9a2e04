import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { parse } from 'yaml'
import type { Io } from '../../runtime/tooling/cli/io.ts'
import { convertNangoProvider, type NangoConversion } from '../../runtime/tooling/importers/nango.ts'
import { validateConnector } from '../../schemas/validate/index.ts'

/** A temp directory for the file's tests, removed when they are done. */
export function useTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-import-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** An `Io` that keeps what a command prints. */
export function captureIo(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    stdout,
    stderr,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    fail(message, code = 1) {
      stderr.push(`switchboard: ${message}`)
      return code
    },
  }
}

/** Converts one provider written as YAML, and checks that whatever comes out passes the validator. */
export function convertYaml(yaml: string, name = 'acme'): NangoConversion {
  const result = convertNangoProvider(name, parse(yaml) as Record<string, unknown>)
  if (result.connector) {
    const { valid, errors } = validateConnector(result.connector)
    if (!valid) throw new Error(`conversion of ${name} is not valid: ${JSON.stringify(errors)}`)
  }
  return result
}
