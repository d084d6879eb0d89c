// The stand-in speaks GitHub's wire protocols where the libraries do not look: Twirp errors, token checks,
// and the REST API's 404s and redirect, seen with plain fetch.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ArtifactModule from '@actions/artifact'
import { DEFAULT_REPOSITORY, startGitHubBackend, type GitHubBackend } from '../harness/github/index.js'
import { captureStepLog, inStep } from '../harness/github/step-env.js'
import { writeTree } from '../harness/github/trees.js'

const RUN = 5001
const ARTIFACT_SERVICE = 'twirp/github.actions.results.api.v1.ArtifactService'

let backend: GitHubBackend
let env: Record<string, string>
let artifacts: typeof ArtifactModule
let root: string
let uploadedId: number
let log: ReturnType<typeof captureStepLog>

/** `null` sends no Authorization header. */
function twirp(method: string, body: object, token: string | null = env.ACTIONS_RUNTIME_TOKEN) {
  return fetch(new URL(`${ARTIFACT_SERVICE}/${method}`, env.ACTIONS_RESULTS_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  })
}

/** A Twirp error answer as [HTTP status, error code]. */
const twirpError = async (response: Response) => [
  response.status,
  ((await response.json()) as { code: string }).code
]

const rest = (path: string, token: string | null = 'ghs_any') =>
  fetch(`${env.GITHUB_API_URL}${path}`, {
    redirect: 'manual',
    headers: token ? { authorization: `token ${token}` } : {}
  })

const ownIds = () => {
  const claims = JSON.parse(
    Buffer.from(env.ACTIONS_RUNTIME_TOKEN.split('.')[1], 'base64url').toString('utf8')
  )
  const [, run, job] = /Actions\.Results:([^:\s]+):([^:\s]+)/.exec(claims.scp) ?? []
  return { workflow_run_backend_id: run, workflow_job_run_backend_id: job }
}

beforeAll(async () => {
  log = captureStepLog()
  backend = await startGitHubBackend()
  env = backend.envFor({ runId: RUN })
  root = await mkdtemp(join(tmpdir(), 'github-protocol-'))
  const files = await writeTree(root, { 'snapshot.bin': randomBytes(1024) })
  artifacts = await inStep(env, () => import('@actions/artifact'))
  const uploaded = await inStep({ ...env, GITHUB_WORKSPACE: root }, () =>
    new artifacts.DefaultArtifactClient().uploadArtifact('present', files, root)
  )
  uploadedId = uploaded.id!
}, 30_000)

afterAll(async () => {
  log?.release()
  await backend?.stop()
  if (root) await rm(root, { recursive: true, force: true })
})

test('the step environment points the toolkit at the stand-in, as github.com', () => {
  expect(env).toMatchObject({
    ACTIONS_CACHE_SERVICE_V2: 'True',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: DEFAULT_REPOSITORY,
    GITHUB_RUN_ID: String(RUN),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90'
  })
  expect(new URL(env.ACTIONS_CACHE_URL).origin).toBe(new URL(env.ACTIONS_RESULTS_URL).origin)
  for (const name of ['ACTIONS_RESULTS_URL', 'GITHUB_API_URL'])
    expect(env[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
  expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/)
  expect(ownIds().workflow_run_backend_id).toMatch(/^[0-9a-f-]{36}$/)
})

test('an unknown artifact is a Twirp not_found with status 404', async () => {
  const response = await twirp('GetSignedArtifactURL', { ...ownIds(), name: 'absent' })

  expect(response.status).toBe(404)
  expect(await response.json()).toEqual({ code: 'not_found', msg: expect.stringContaining('absent') })
})

test('the library reports an unknown artifact id as not found', async () => {
  const download = inStep({ ...env, GITHUB_WORKSPACE: root }, () =>
    new artifacts.DefaultArtifactClient().downloadArtifact(999_999)
  )

  await expect(download).rejects.toThrow(/No artifacts found for ID: 999999/)
})

test('a call without a results token, or for another run, is refused', async () => {
  const anonymous = await twirp('ListArtifacts', ownIds(), null)
  const otherRun = await twirp('ListArtifacts', { ...ownIds(), workflow_run_backend_id: 'someone-elses-run' })
  const badRoute = await twirp('StealArtifact', ownIds())

  expect(await twirpError(anonymous)).toEqual([401, 'unauthenticated'])
  expect(await twirpError(otherRun)).toEqual([403, 'permission_denied'])
  expect(await twirpError(badRoute)).toEqual([404, 'bad_route'])
})

test('ListArtifacts answers in proto JSON: snake_case names and int64 values as strings', async () => {
  const response = await twirp('ListArtifacts', { ...ownIds(), id_filter: String(uploadedId) })

  const { artifacts: listed } = (await response.json()) as { artifacts: unknown[] }
  expect(listed).toEqual([
    {
      ...ownIds(),
      database_id: String(uploadedId),
      name: 'present',
      size: expect.stringMatching(/^\d+$/),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/)
    }
  ])
})

test('REST answers 404 for an unknown repository or run, and 401 without a token', async () => {
  const unknownRepo = await rest('/repos/nobody/nothing/actions/runs/1/artifacts')
  const unknownRun = await rest(`/repos/${DEFAULT_REPOSITORY}/actions/runs/424242/artifacts`)
  const anonymous = await rest(`/repos/${DEFAULT_REPOSITORY}/actions/runs/${RUN}/artifacts`, null)

  expect(unknownRepo.status).toBe(404)
  expect(await unknownRepo.json()).toMatchObject({ message: 'Not Found' })
  expect(unknownRun.status).toBe(404)
  expect(anonymous.status).toBe(401)
})

test('REST lists a run page by page and redirects a zip download to a signed blob URL', async () => {
  const page1 = await (
    await rest(`/repos/${DEFAULT_REPOSITORY}/actions/runs/${RUN}/artifacts?per_page=1`)
  ).json()
  const page2 = await (
    await rest(`/repos/${DEFAULT_REPOSITORY}/actions/runs/${RUN}/artifacts?per_page=1&page=2`)
  ).json()
  const zip = await rest(`/repos/${DEFAULT_REPOSITORY}/actions/artifacts/${uploadedId}/zip`)

  expect(page1).toEqual({
    total_count: 1,
    artifacts: [
      expect.objectContaining({
        id: uploadedId,
        name: 'present',
        size_in_bytes: expect.any(Number),
        workflow_run: expect.objectContaining({ id: RUN })
      })
    ]
  })
  expect(page2).toEqual({ total_count: 1, artifacts: [] })
  expect(zip.status).toBe(302)
  const location = new URL(zip.headers.get('location') ?? '')
  expect(location.searchParams.get('sp')).toBe('r')
  expect(location.searchParams.get('sig')).toBeTruthy()
  const blob = await fetch(location)
  expect(blob.status).toBe(200)
  expect(Buffer.from(await blob.arrayBuffer())).toEqual(await backend.artifactBlob(uploadedId))
})

test('a signed URL with a forged signature is refused by blob storage', async () => {
  const zip = await rest(`/repos/${DEFAULT_REPOSITORY}/actions/artifacts/${uploadedId}/zip`)
  const forged = new URL(zip.headers.get('location') ?? '')
  forged.searchParams.set('sig', Buffer.alloc(32).toString('base64'))

  expect((await fetch(forged)).status).toBe(403)
})
