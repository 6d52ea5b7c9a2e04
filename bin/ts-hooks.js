// Module hooks that compile the TypeScript sources as they load (registered by bin/register-ts.js). Type syntax is
// removed file by file with esbuild; imports name their files with the .ts extension, so resolution is Node's own.
// tsx did this before, but it asks esbuild to keep function names, which wraps every function made at run time in
// a call that sets its name: on the request paths, where closures are made per request, a few percent of the CPU.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context)
  const path = fileURLToPath(url)
  const source = await readFile(path, 'utf8')
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    // Node 20.10 on reads `import … with { type: 'json' }`; esbuild's table for node20 would drop the attribute.
    supported: { 'import-attributes': true },
    sourcemap: 'inline',
    sourcefile: path,
  })
  return { format: 'module', source: code, shortCircuit: true }
}
