// The real @actions/artifact client, in this process, against the local GitHub backend: a run uploads a
// snapshot, lists and downloads it; another run reaches it only through the REST API with a token.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import { DEFAULT_REPOSITORY, startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { readTree, writeTree, type Tree } from '../harness/github/trees.js'

const UPLOAD_RUN = 1001
const LATER_RUN = 2002
const [OWNER, REPO] = DEFAULT_REPOSITORY.split('/')
const READER_TOKEN = 'ghs_reader-of-other-runs'

let backend: GitHubBackend
let artifacts: typeof ArtifactModule
let work: string
let log: ReturnType<typeof captureStepLog>

const snapshotTree = (): Tree => ({
  'manifest.json': Buffer.from(JSON.stringify({ canister: 'counter', chunks: 2 })),
  'chunks/0.bin': randomBytes(300 * 1024),
  'chunks/1.bin': randomBytes(17)
})

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** Runs `work` as a step of the run, with a workspace of its own. */
async function inRun<T>(runId: number, work_: (client: ArtifactModule.DefaultArtifactClient) => Promise<T>) {
  const env = { ...backend.envFor({ runId }), GITHUB_WORKSPACE: work }
  return inStep(env, () => work_(new artifacts.DefaultArtifactClient()))
}

async function uploadTree(runId: number, name: string, tree: Tree) {
  const root = await mkdtemp(join(work, 'upload-'))
  const files = await writeTree(root, tree)
  return inRun(runId, client => client.uploadArtifact(name, files, root))
}

beforeAll(async () => {
  log = captureStepLog()
  backend = await startGitHubBackend()
  work = await mkdtemp(join(tmpdir(), 'artifact-client-'))
  // @actions/github fixes its API base URL when first imported (reference §5, findBy).
  artifacts = await inStep(backend.envFor({ runId: UPLOAD_RUN }), () => import('@actions/artifact'))
})

afterAll(async () => {
  log?.release()
  await backend?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

test('an uploaded snapshot is listed, found by name and downloaded byte for byte in its run', async () => {
  const tree = snapshotTree()
  const uploaded = await uploadTree(UPLOAD_RUN, 'snapshot-counter', tree)

  expect(uploaded.id).toBeGreaterThan(0)
  const [stored] = backend.artifacts({ name: 'snapshot-counter' })
  expect(stored).toEqual({
    id: uploaded.id,
    name: 'snapshot-counter',
    runId: UPLOAD_RUN,
    repository: DEFAULT_REPOSITORY,
    size: uploaded.size,
    digest: `sha256:${uploaded.digest}`
  })
  expect(sha256(await backend.artifactBlob(uploaded.id!))).toBe(uploaded.digest)

  const dest = join(work, 'same-run')
  const { listed, found, downloaded } = await inRun(UPLOAD_RUN, async client => ({
    listed: await client.listArtifacts(),
    found: await client.getArtifact('snapshot-counter'),
    downloaded: await client.downloadArtifact(uploaded.id!, { path: dest, expectedHash: stored.digest })
  }))
  expect(listed.artifacts).toContainEqual(
    expect.objectContaining({
      id: uploaded.id,
      name: 'snapshot-counter',
      size: uploaded.size,
      digest: stored.digest
    })
  )
  expect(found.artifact).toMatchObject({ id: uploaded.id, size: uploaded.size, digest: stored.digest })
  expect(downloaded).toEqual({ downloadPath: dest, digestMismatch: false })
  expect(await readTree(dest)).toEqual(tree)
}, 30_000)

test('a later run reaches the snapshot only through the REST API, with its token', async () => {
  const tree = snapshotTree()
  const uploaded = await uploadTree(UPLOAD_RUN, 'snapshot-for-later', tree)
  const findBy = {
    token: READER_TOKEN,
    repositoryOwner: OWNER,
    repositoryName: REPO,
    workflowRunId: UPLOAD_RUN
  }
  const dest = join(work, 'later-run')

  const { ownRun, listed, found, downloaded } = await inRun(LATER_RUN, async client => ({
    ownRun: await client.listArtifacts(),
    listed: await client.listArtifacts({ findBy }),
    found: await client.getArtifact('snapshot-for-later', { findBy }),
    downloaded: await client.downloadArtifact(uploaded.id!, {
      path: dest,
      findBy,
      expectedHash: `sha256:${uploaded.digest}`
    })
  }))

  expect(ownRun.artifacts).toEqual([])
  expect(listed.artifacts.map(a => a.name)).toContain('snapshot-for-later')
  expect(found.artifact).toMatchObject({
    id: uploaded.id,
    size: uploaded.size,
    digest: `sha256:${uploaded.digest}`
  })
  expect(downloaded.digestMismatch).toBe(false)
  expect(await readTree(dest)).toEqual(tree)
  const zipRequest = backend.requests.find(
    r =>
      r.service === 'rest' && r.path === `/repos/${DEFAULT_REPOSITORY}/actions/artifacts/${uploaded.id}/zip`
  )
  expect(zipRequest).toEqual(expect.objectContaining({ method: 'GET', token: READER_TOKEN }))
}, 30_000)

test('a snapshot whose stored bytes were swapped is reported as a digest mismatch', async () => {
  const target = await uploadTree(UPLOAD_RUN, 'snapshot-to-tamper', snapshotTree())
  const impostor = await uploadTree(UPLOAD_RUN, 'impostor', snapshotTree())
  // A well-formed zip, so that only the digest can tell.
  await backend.replaceArtifactBlob(target.id!, await backend.artifactBlob(impostor.id!))

  const result = await inRun(UPLOAD_RUN, client =>
    client.downloadArtifact(target.id!, {
      path: join(work, 'tampered'),
      expectedHash: `sha256:${target.digest}`
    })
  )

  expect(result.digestMismatch).toBe(true)
  expect(backend.artifacts({ name: 'snapshot-to-tamper' })[0]).toMatchObject({ id: target.id })
}, 30_000)

test('a raw file uploaded without a zip downloads under its own name', async () => {
  const root = await mkdtemp(join(work, 'raw-'))
  const [file] = await writeTree(root, { 'counter.wasm': randomBytes(4096) })
  const dest = join(work, 'raw-download')

  const downloaded = await inRun(UPLOAD_RUN, async client => {
    const { id } = await client.uploadArtifact('ignored', [file], root, { skipArchive: true })
    return client.downloadArtifact(id!, { path: dest })
  })

  expect(downloaded.digestMismatch).toBe(false)
  expect(await readFile(join(dest, 'counter.wasm'))).toEqual(await readFile(file))
}, 30_000)

test('a second artifact of the same name in a run is refused with 409', async () => {
  await uploadTree(UPLOAD_RUN, 'snapshot-once', snapshotTree())

  await expect(uploadTree(UPLOAD_RUN, 'snapshot-once', snapshotTree())).rejects.toThrow(
    /\(409\).*already exists/
  )
  expect(backend.artifacts({ name: 'snapshot-once' })).toHaveLength(1)
}, 30_000)

test('deleted artifacts leave the run and the blob store, from their own run or through findBy', async () => {
  const own = await uploadTree(UPLOAD_RUN, 'snapshot-obsolete', snapshotTree())
  const other = await uploadTree(UPLOAD_RUN, 'snapshot-obsolete-too', snapshotTree())
  const findBy = {
    token: READER_TOKEN,
    repositoryOwner: OWNER,
    repositoryName: REPO,
    workflowRunId: UPLOAD_RUN
  }

  const deletedOwn = await inRun(UPLOAD_RUN, client => client.deleteArtifact('snapshot-obsolete'))
  const deletedOther = await inRun(LATER_RUN, client =>
    client.deleteArtifact('snapshot-obsolete-too', { findBy })
  )
  const listed = await inRun(UPLOAD_RUN, client => client.listArtifacts())

  expect(deletedOwn.id).toBe(own.id)
  expect(deletedOther.id).toBe(other.id)
  expect(backend.artifacts({ name: 'snapshot-obsolete' })).toEqual([])
  expect(backend.artifacts({ name: 'snapshot-obsolete-too' })).toEqual([])
  expect(listed.artifacts.map(a => a.id)).not.toContain(own.id)
  expect(listed.artifacts.map(a => a.id)).not.toContain(other.id)
  await expect(backend.artifactBlob(own.id!)).rejects.toThrow(/no artifact/)
}, 30_000)
