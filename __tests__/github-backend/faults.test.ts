// Failures the real libraries meet on GitHub: a refused results-service call ends the artifact call with an
// error (and a cache call with a logged miss); a brief blob-storage hiccup is retried and goes unnoticed.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import type * as CacheModule from '@actions/cache'
import { startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { readTree, writeTree, type Tree } from '../harness/github/trees.js'

const RUN = 4001

let backend: GitHubBackend
let artifacts: typeof ArtifactModule
let cache: typeof CacheModule
let root: string
let log: ReturnType<typeof captureStepLog>

const snapshotTree = (): Tree => ({ 'snapshot.bin': randomBytes(64 * 1024) })

const inJob = <T>(work: () => Promise<T>) =>
  inStep(
    {
      ...backend.envFor({ runId: RUN }),
      GITHUB_WORKSPACE: join(root, 'workspace'),
      RUNNER_TEMP: join(root, 'tmp')
    },
    work
  )

async function uploadTree(name: string, tree: Tree) {
  const dir = await mkdtemp(join(root, 'upload-'))
  const files = await writeTree(dir, tree)
  return inJob(() => new artifacts.DefaultArtifactClient().uploadArtifact(name, files, dir))
}

/** The requests made while `work` ran, as `service METHOD last-path-segment`. */
async function requestsDuring<T>(work: () => Promise<T>): Promise<{ result: T; made: string[] }> {
  const before = backend.requests.length
  const result = await work()
  const made = backend.requests.slice(before).map(r => `${r.service} ${r.method} ${r.path.split('/').pop()}`)
  return { result, made }
}

beforeAll(async () => {
  log = captureStepLog()
  backend = await startGitHubBackend()
  root = await mkdtemp(join(tmpdir(), 'github-faults-'))
  artifacts = await inJob(() => import('@actions/artifact'))
  cache = await import('@actions/cache')
})

afterEach(() => backend.controls.clear())

afterAll(async () => {
  log?.release()
  await backend?.stop()
  if (root) await rm(root, { recursive: true, force: true })
})

test('a results-service 403 ends the upload with that error, without a retry', async () => {
  backend.controls.failNextResults(1, 403)

  const { result, made } = await requestsDuring(() =>
    uploadTree('refused', snapshotTree()).then(
      () => 'uploaded',
      (error: Error) => error.message
    )
  )

  expect(result).toMatch(/Failed to CreateArtifact: Received non-retryable error: Failed request: \(403\)/)
  expect(made).toEqual(['artifact POST CreateArtifact'])
  expect(backend.artifacts({ name: 'refused' })).toEqual([])
}, 30_000)

test('a results-service 400 during a cache restore is logged and treated as a miss', async () => {
  const dir = join(root, 'workspace', 'cached')
  const tree = snapshotTree()
  await writeTree(dir, tree)
  expect(await inJob(() => cache.saveCache([dir], 'cached-key'))).toBeGreaterThan(0)
  await rm(dir, { recursive: true })
  backend.controls.failNextResults(1, 400)

  const refused = await requestsDuring(() => inJob(() => cache.restoreCache([dir], 'cached-key')))
  const retried = await inJob(() => cache.restoreCache([dir], 'cached-key'))

  expect(refused.result).toBeUndefined()
  expect(refused.made).toEqual(['cache POST GetCacheEntryDownloadURL'])
  expect(log.lines()).toContainEqual(expect.stringMatching(/^::warning::Failed to restore: .*\(400\)/))
  expect(retried).toBe('cached-key')
  expect(await readTree(dir)).toEqual(tree)
}, 30_000)

test('a blob 503 during an artifact upload is retried by the storage SDK and the upload succeeds', async () => {
  backend.controls.failNextBlobs(1, '5xx')

  const { result: uploaded, made } = await requestsDuring(() => uploadTree('after-hiccup', snapshotTree()))

  const blobWrites = made.filter(r => r.startsWith('blob PUT'))
  expect(blobWrites.length).toBeGreaterThanOrEqual(2)
  // The first write is the one that failed; the SDK sent it again.
  expect(blobWrites[0]).toBe(blobWrites[1])
  const stored = await backend.artifactBlob(uploaded.id!)
  expect(createHash('sha256').update(stored).digest('hex')).toBe(uploaded.digest)
}, 30_000)

test('a dropped blob connection during a cache save is retried and the entry restores', async () => {
  const dir = join(root, 'workspace', 'after-reset')
  const tree = snapshotTree()
  await writeTree(dir, tree)
  backend.controls.failNextBlobs(1, 'reset')

  const { result: saved, made } = await requestsDuring(() =>
    inJob(() => cache.saveCache([dir], 'after-reset-key'))
  )
  await rm(dir, { recursive: true })
  const restored = await inJob(() => cache.restoreCache([dir], 'after-reset-key'))

  expect(saved).toBeGreaterThan(0)
  expect(made.filter(r => r.startsWith('blob PUT')).length).toBeGreaterThanOrEqual(2)
  expect(restored).toBe('after-reset-key')
  expect(await readTree(dir)).toEqual(tree)
}, 30_000)

test('clearing the controls disarms pending faults', async () => {
  backend.controls.failNextResults(5, 500)
  backend.controls.failNextBlobs(5, 'reset')
  backend.controls.clear()

  const uploaded = await uploadTree('after-clear', snapshotTree())

  expect(backend.artifacts({ name: 'after-clear' })).toEqual([expect.objectContaining({ id: uploaded.id })])
}, 30_000)
