/**
 * Global setup for the run's shared PostgreSQL cluster: makes the directory it will live in (the cluster
 * itself starts only when a test asks for a database, see postgres.ts), and at the end of the run stops it
 * and deletes the directory.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { stopClusterIn } from './postgres-cluster.ts'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const home = await mkdtemp(join(tmpdir(), 'switchboard-pg-run-'))
  // The cluster's own directory inside is the unprivileged user's; it must be able to reach it.
  await chmod(home, 0o711)
  project.provide('postgresHome', home)
  return async () => {
    await stopClusterIn(join(home, 'cluster'))
    await rm(home, { recursive: true, force: true })
  }
}
