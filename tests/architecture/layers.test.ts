/**
 * The runtime's layers, as the folder list shows them, and the rule that imports point down:
 * inbound (routes, caller auth, access, audit) → core (connections, auth types, requests, the one
 * connection-use path, tests, actions, proxy, catalogue) → platform (outbound HTTP, store, crypto).
 * Tooling (CLI, importers) sits beside and uses the layers; nothing in them imports tooling or the composition
 * root. No cycle between files, nor between folders.
 */
import { describe, expect, it } from 'vitest'
import { cycles, folderGraph, importGraph } from './imports.ts'

const graph = importGraph('runtime')
/** Files at the root every layer may use: the one error type and the shared record types. */
const KERNEL = new Set(['runtime/errors.ts', 'runtime/types.ts'])
/** What each layer may import, besides itself and the kernel; `root` is the composition (app, server, config). */
const MAY_IMPORT: Record<string, string[]> = {
  platform: [],
  core: ['platform'],
  inbound: ['core', 'platform'],
  // The CLI is an entry point: `switchboard serve` starts the composed runtime.
  tooling: ['inbound', 'core', 'platform', 'root'],
}

const layerOf = (file: string) => (file.split('/').length > 2 ? file.split('/')[1]! : 'root')

describe('runtime layering', () => {
  it('has no import cycle between files', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('has no import cycle between folders', () => {
    expect(cycles(folderGraph(graph))).toEqual([])
  })

  it('imports only point down the layers; nothing in a layer imports tooling or the composition root', () => {
    const wrong: string[] = []
    for (const [file, targets] of graph) {
      const layer = layerOf(file)
      if (layer === 'root') continue
      for (const target of targets) {
        if (!target.startsWith('runtime/') || KERNEL.has(target)) continue
        const to = layerOf(target)
        if (to !== layer && !MAY_IMPORT[layer]!.includes(to)) wrong.push(`${file} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps every file of a layer inside a folder of it', () => {
    const loose = [...graph.keys()].filter((file) => file.split('/').length === 3)
    expect(loose).toEqual([])
  })
})
