// The real @actions/cache (v2 service), in this process, against the local GitHub backend: save a directory,
// restore it into a clean workspace, and see which entry a key and its restore keys pick.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as CacheModule from '@actions/cache'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { readTree, writeTree, type Tree } from '../harness/github/trees.js'

const RUN = 3001

let backend: GitHubBackend
let cache: typeof CacheModule
let workspace: string
let log: ReturnType<typeof captureStepLog>

/** The library compresses with zstd when `zstd --quiet --version` answers, else gzip (reference §6, "Archive"). */
function compressionMethod(): 'zstd-without-long' | 'gzip' {
  try {
    return execFileSync('zstd', ['--quiet', '--version'], { encoding: 'utf8' }).trim()
      ? 'zstd-without-long'
      : 'gzip'
  } catch {
    return 'gzip'
  }
}

/** The version the library derives from the paths as given (reference §6, "Version hash"). */
const versionOf = (paths: string[]) =>
  createHash('sha256')
    .update([...paths, compressionMethod(), '1.0'].join('|'))
    .digest('hex')

const snapshotTree = (): Tree => ({
  'snapshot.json': Buffer.from(JSON.stringify({ taken: Date.now() })),
  'chunks/0.bin': randomBytes(200 * 1024)
})

async function inJob<T>(work: () => Promise<T>): Promise<T> {
  const env = {
    ...backend.envFor({ runId: RUN }),
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: join(workspace, '..', 'tmp')
  }
  return inStep(env, work)
}

/** Fills a fresh directory of the workspace with the tree and saves it under the key. */
async function saveTree(dir: string, key: string, tree: Tree): Promise<number> {
  await rm(dir, { recursive: true, force: true })
  await writeTree(dir, tree)
  return inJob(() => cache.saveCache([dir], key))
}

/** Empties the directory, restores into it, and reads what came back. */
async function restoreTree(dir: string, key: string, restoreKeys: string[] = []) {
  await rm(dir, { recursive: true, force: true })
  const matched = await inJob(() => cache.restoreCache([dir], key, restoreKeys))
  return { matched, tree: matched ? await readTree(dir) : undefined }
}

beforeAll(async () => {
  log = captureStepLog()
  backend = await startGitHubBackend()
  const root = await mkdtemp(join(tmpdir(), 'cache-client-'))
  workspace = join(root, 'workspace')
  cache = await import('@actions/cache')
})

afterAll(async () => {
  log?.release()
  await backend?.stop()
  if (workspace) await rm(join(workspace, '..'), { recursive: true, force: true })
})

test('a saved snapshot directory comes back byte for byte into a clean workspace', async () => {
  const dir = join(workspace, 'snapshots')
  const tree = snapshotTree()

  const entryId = await saveTree(dir, 'snapshots-linux-abc', tree)
  const restored = await restoreTree(dir, 'snapshots-linux-abc')

  expect(entryId).toBeGreaterThan(0)
  expect(backend.cacheEntries()).toContainEqual({
    key: 'snapshots-linux-abc',
    version: versionOf([dir]),
    size: expect.any(Number)
  })
  expect(restored).toEqual({ matched: 'snapshots-linux-abc', tree })
}, 30_000)

test('a key nobody saved is a miss, and no blob is downloaded', async () => {
  const before = backend.requests.length

  const restored = await restoreTree(join(workspace, 'snapshots'), 'never-saved', ['never-'])

  const made = backend.requests.slice(before)
  expect(restored.matched).toBeUndefined()
  expect(made.map(r => `${r.service} ${r.path.split('/').pop()}`)).toEqual(['cache GetCacheEntryDownloadURL'])
}, 30_000)

test('restore keys take an exact match first, then the newest entry with the prefix', async () => {
  const dir = join(workspace, 'deps')
  const first = snapshotTree()
  const second = snapshotTree()
  await saveTree(dir, 'deps-1', first)
  await saveTree(dir, 'deps-2', second)

  expect(await restoreTree(dir, 'deps-3', ['deps-'])).toEqual({ matched: 'deps-2', tree: second })
  expect(await restoreTree(dir, 'deps-3', ['deps-1', 'deps-'])).toEqual({ matched: 'deps-1', tree: first })
  // The primary key is itself a prefix.
  expect((await restoreTree(dir, 'deps-')).matched).toBe('deps-2')
}, 60_000)

test('an entry saved for other paths is not restored: the version differs', async () => {
  const dir = join(workspace, 'by-path')
  await saveTree(dir, 'by-path-key', snapshotTree())

  const elsewhere = await restoreTree(join(workspace, 'elsewhere'), 'by-path-key')

  expect(elsewhere.matched).toBeUndefined()
}, 30_000)

test('saving an existing key again is refused and keeps the first entry', async () => {
  const dir = join(workspace, 'once')
  const tree = snapshotTree()
  await saveTree(dir, 'once-key', tree)

  const again = await saveTree(dir, 'once-key', snapshotTree())

  expect(again).toBe(-1)
  expect(backend.cacheEntries().filter(e => e.key === 'once-key')).toHaveLength(1)
  expect((await restoreTree(dir, 'once-key')).tree).toEqual(tree)
  expect(log.lines()).toContainEqual(
    expect.stringMatching(/Failed to save: Unable to reserve cache with key once-key/)
  )
}, 30_000)
