// A separate Node 24 process started with nothing but the step environment, as the runner starts an action:
// the toolkit reads its configuration there at import time, and must still find the stand-in.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { NODE24 } from '../harness/runner.js'
import { DEFAULT_REPOSITORY, startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { readTree, writeTree } from '../harness/github/trees.js'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
const UPLOAD_RUN = 6001
const LATER_RUN = 6002

// Run from the project root so that the bare imports resolve to the installed toolkit.
const UPLOAD_AND_SAVE = `
import { DefaultArtifactClient } from '@actions/artifact'
import { saveCache } from '@actions/cache'
const dir = process.env.SNAPSHOT_DIR
const artifact = await new DefaultArtifactClient().uploadArtifact('from-child', [dir + '/snapshot.bin'], dir)
const entry = await saveCache([dir], 'child-key')
console.log('RESULT ' + JSON.stringify({ artifactId: artifact.id, entry }))
`
const DOWNLOAD_AND_RESTORE = `
import { DefaultArtifactClient } from '@actions/artifact'
import { restoreCache } from '@actions/cache'
const [owner, repo] = process.env.GITHUB_REPOSITORY.split('/')
const findBy = { token: 'ghs_child', repositoryOwner: owner, repositoryName: repo, workflowRunId: Number(process.env.FROM_RUN) }
const client = new DefaultArtifactClient()
const { artifact } = await client.getArtifact('from-child', { findBy })
const download = await client.downloadArtifact(artifact.id, { path: process.env.DOWNLOAD_DIR, findBy, expectedHash: artifact.digest })
const matched = await restoreCache([process.env.SNAPSHOT_DIR], 'child-key')
console.log('RESULT ' + JSON.stringify({ digestMismatch: download.digestMismatch, matched }))
`

let backend: GitHubBackend
let root: string

async function runInChild(script: string, runId: number, extraEnv: Record<string, string>) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    ...backend.envFor({ runId }),
    GITHUB_WORKSPACE: join(root, 'workspace'),
    RUNNER_TEMP: join(root, 'tmp'),
    ...extraEnv
  }
  const { stdout } = await promisify(execFile)(NODE24, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env,
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024
  })
  const line = stdout.split('\n').find(l => l.startsWith('RESULT '))
  if (!line) throw new Error(`the child printed no result:\n${stdout}`)
  return JSON.parse(line.slice('RESULT '.length))
}

beforeAll(async () => {
  backend = await startGitHubBackend()
  root = await mkdtemp(join(tmpdir(), 'github-child-'))
})

afterAll(async () => {
  await backend?.stop()
  if (root) await rm(root, { recursive: true, force: true })
})

test('an action process uploads and caches; a later run downloads and restores the same bytes', async () => {
  const dir = join(root, 'workspace', 'snapshot')
  const tree = { 'snapshot.bin': randomBytes(128 * 1024) }
  await writeTree(dir, tree)

  const saved = await runInChild(UPLOAD_AND_SAVE, UPLOAD_RUN, { SNAPSHOT_DIR: dir })
  await rm(dir, { recursive: true })
  const download = join(root, 'download')
  const fetched = await runInChild(DOWNLOAD_AND_RESTORE, LATER_RUN, {
    SNAPSHOT_DIR: dir,
    DOWNLOAD_DIR: download,
    FROM_RUN: String(UPLOAD_RUN)
  })

  expect(backend.artifacts({ runId: UPLOAD_RUN })).toEqual([
    expect.objectContaining({ id: saved.artifactId, name: 'from-child', repository: DEFAULT_REPOSITORY })
  ])
  expect(saved.entry).toBeGreaterThan(0)
  expect(fetched).toEqual({ digestMismatch: false, matched: 'child-key' })
  expect(await readTree(download)).toEqual(tree)
  expect(await readTree(dir)).toEqual(tree)
  expect(backend.requests).toContainEqual(expect.objectContaining({ service: 'rest', token: 'ghs_child' }))
}, 90_000)
