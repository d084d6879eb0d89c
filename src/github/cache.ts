// A finished snapshot directory saved with @actions/cache, so a later download of the same snapshot reads
// the cache instead of the IC. A snapshot id never names two states, so the id is a complete cache key.
import { isAbsolute, relative } from 'node:path'
import * as core from '@actions/core'
import * as cache from '@actions/cache'
import { describe } from '../ic/errors.js'

export function snapshotCacheKey(canisterId: string, snapshotId: string): string {
  return `canister-snapshot-${canisterId}-${snapshotId}`
}

/**
 * The cache version hashes the paths as given, and the workspace's absolute path differs between jobs and
 * runners; a path inside the workspace is therefore given relative to it (the working directory).
 */
function cachePath(dir: string): string {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const rel = relative(workspace, dir)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir
}

export async function restoreSnapshotDir(dir: string, key: string): Promise<boolean> {
  if (!cache.isFeatureAvailable()) {
    core.info('The cache service is not available to this job; downloading from the IC.')
    return false
  }
  try {
    return (await cache.restoreCache([cachePath(dir)], key)) === key
  } catch (error) {
    // A cache that cannot be read is only a slower path, never a failure.
    core.warning(`Could not read the cache (${describe(error)}); downloading from the IC.`)
    return false
  }
}

export async function saveSnapshotDir(dir: string, key: string): Promise<boolean> {
  if (!cache.isFeatureAvailable()) return false
  try {
    return (await cache.saveCache([cachePath(dir)], key)) !== -1
  } catch (error) {
    core.warning(`Could not save the snapshot to the cache (${describe(error)}).`)
    return false
  }
}
