import { expect, test } from 'vitest'
import { createWriteCoalescer } from '../../runtime/platform/store/internal/write-coalescer.ts'

/** A fake durable write that records which changes each write saw. */
function fakeDisk() {
  let memory = 0
  const writes: number[] = []
  let release: (() => void) | undefined
  const write = async () => {
    const snapshot = memory
    await new Promise<void>((done) => (release = done))
    writes.push(snapshot)
  }
  return { change: () => ++memory, writes, write, finishWrite: () => release?.() }
}

test('changes made while a write is in flight share the next single write', async () => {
  const disk = fakeDisk()
  const writer = createWriteCoalescer(disk.write)
  disk.change()
  const first = writer.flush()
  await new Promise((done) => setImmediate(done)) // the first write is now in flight
  const later = Array.from({ length: 100 }, () => (disk.change(), writer.flush()))
  disk.finishWrite()
  await first
  await new Promise((done) => setImmediate(done))
  disk.finishWrite()
  await Promise.all(later)
  expect(disk.writes).toEqual([1, 101])
})

test('flush() resolves only after a write that started after it', async () => {
  const disk = fakeDisk()
  const writer = createWriteCoalescer(disk.write)
  disk.change()
  void writer.flush()
  await new Promise((done) => setImmediate(done))
  disk.change()
  let acknowledged = false
  const second = writer.flush().then(() => (acknowledged = true))
  disk.finishWrite() // completes the first write, which did not contain the second change
  await new Promise((done) => setImmediate(done))
  expect(acknowledged).toBe(false)
  disk.finishWrite()
  await second
  expect(disk.writes).toEqual([1, 2])
})

test('a failed write rejects exactly the callers waiting for it', async () => {
  let fail = true
  const writer = createWriteCoalescer(async () => {
    if (fail) throw new Error('disk full')
  })
  await expect(Promise.all([writer.flush(), writer.flush()])).rejects.toThrow('disk full')
  fail = false
  await expect(writer.flush()).resolves.toBeUndefined()
})
